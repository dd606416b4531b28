"""Counting attempts (tracking look-ups, one-time codes) so that guessing gets nowhere."""

from __future__ import annotations

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def attempt_allowed(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for (scope, key); False once more than `limit` fall in the window."""
    cache_key = f"attempts:{scope}:{key}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count(backend, cache_key, window_seconds) <= limit
    cache.add(cache_key, 0, window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        count = 1
    return count <= limit


def _redis_count(backend: RedisCache, cache_key: str, window_seconds: int) -> int:
    # One round trip instead of add + incr's three (tracking look-ups are a hot path). Same
    # key (per tenant, through the cache's key function) and value format as cache.add/incr.
    full_key = backend.make_and_validate_key(cache_key)
    pipe = backend._cache.get_client(full_key, write=True).pipeline(transaction=True)
    pipe.set(full_key, 0, ex=window_seconds, nx=True)
    pipe.incr(full_key)
    return pipe.execute()[1]


def client_ip(request) -> str:
    # Behind the production proxy the last X-Forwarded-For hop is the one it added.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
