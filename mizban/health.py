"""/healthz: is PostgreSQL answering, Redis where it is configured, and a Celery worker.

A silent worker does not make the answer 503: a load balancer probing web would take every
web server out of rotation for it, and the site still serves pages and keeps every SMS and
e-mail in its outbox. It makes `status` "degraded" and `checks.worker` "no answer", which is
what an operator's monitor (or `?require=worker`, which does answer 503) looks at.
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

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


@never_cache
def healthz(request):
    started = time.monotonic()
    checks = {"postgres": _check_postgres(), "redis": _check_redis(), "worker": worker_state()}
    healthy = checks["postgres"] == "ok" and checks["redis"] in ("ok", "not configured")
    worker_fine = checks["worker"] in (WORKER_OK, WORKER_IN_PROCESS)
    serving = healthy and (worker_fine or request.GET.get("require") != "worker")
    body = {
        "status": ("ok" if worker_fine else "degraded") if healthy else "error",
        "checks": checks,
        "tasks_in_process": settings.TASKS_IN_PROCESS,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if serving else 503)
