"""/healthz: is PostgreSQL answering, and Redis where it is configured."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


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
    checks = {"postgres": _check_postgres(), "redis": _check_redis()}
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": checks,
        "tasks_in_process": settings.TASKS_IN_PROCESS,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)
