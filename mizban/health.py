"""/healthz: is PostgreSQL answering, Redis where it is configured, and a Celery worker.

Only PostgreSQL makes the answer 503: without it nothing is served. Redis down is `degraded`
(200): pages, sign-in, rate limits and submits go on (the cache falls back to the process's
memory, lib/cache.py; SMS wait in their outbox), only background work waits for the broker. A
silent worker is `degraded` too: a load balancer probing web would take every web server out
of rotation for it, and the site still serves pages and keeps every SMS and e-mail in its
outbox. `down` names what does not answer, which is what an operator's monitor looks at
(or `?require=worker`, which answers 503 while no worker answers).
"""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from lib.worker_heartbeat import WORKER_IN_PROCESS, WORKER_OK, worker_state


def _check_postgres() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as error:  # report, never raise: this page exists to say what is wrong
        return f"error: {error.__class__.__name__}"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        import redis

        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT_SECONDS,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT_SECONDS,
        ).ping()
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


@never_cache
def healthz(request):
    started = time.monotonic()
    checks = {"postgres": _check_postgres(), "redis": _check_redis()}
    # No Redis, no heartbeat to read: the worker cannot be reached either.
    checks["worker"] = worker_state() if checks["redis"] in ("ok", "not configured") else "no answer"
    serving = checks["postgres"] == "ok"
    worker_fine = checks["worker"] in (WORKER_OK, WORKER_IN_PROCESS)
    down = [name for name, state in checks.items()
            if state not in ("ok", "not configured", WORKER_IN_PROCESS)]
    body = {
        "status": "error" if not serving else ("degraded" if down else "ok"),
        "checks": checks,
        "down": down,
        "tasks_in_process": settings.TASKS_IN_PROCESS,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    ok = serving and (worker_fine or request.GET.get("require") != "worker")
    return JsonResponse(body, status=200 if ok else 503)
