"""Counting attempts (tracking look-ups, one-time codes) so that guessing gets nowhere."""

from __future__ import annotations

from django.core.cache import cache


def attempt_allowed(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for (scope, key); False once more than `limit` fall in the window."""
    cache_key = f"attempts:{scope}:{key}"
    cache.add(cache_key, 0, window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    # Behind the production proxy the last X-Forwarded-For hop is the one it added.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
