"""Counting attempts (tracking look-ups, one-time codes) so that guessing gets nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache


@dataclass(frozen=True)
class Counter:
    """One limit: at most `limit` attempts for (scope, key) in the window. A counter per
    client IP is `across_tenants`: one address trying on every tenant's host counts once,
    in the platform's cache; a counter per identity (a tracking code) stays in its tenant's."""

    scope: str
    key: str
    limit: int
    across_tenants: bool = False

    @property
    def cache_key(self) -> str:
        return f"attempts:{self.scope}:{self.key}"

    @property
    def cache(self) -> BaseCache:
        return caches["platform" if self.across_tenants else "default"]


def attempt_allowed(*, scope: str, key: str, limit: int, window_seconds: int, across_tenants: bool = False) -> bool:
    """Count one attempt for (scope, key); False once more than `limit` fall in the window."""
    counter = Counter(scope, key, limit, across_tenants)
    return first_counter_over_limit([counter], window_seconds=window_seconds) is None


def first_counter_over_limit(counters: list[Counter], *, window_seconds: int) -> Counter | None:
    """Count one attempt on each counter in turn, stopping at the first one over its limit
    (the counters after it are not counted); that counter, or None when all allow it."""
    if all(isinstance(counter.cache, RedisCache) for counter in counters):
        return _redis_count(counters, window_seconds)
    for counter in counters:
        if _cache_count(counter.cache, counter.cache_key, window_seconds) > counter.limit:
            return counter
    return None


def _cache_count(cache: BaseCache, cache_key: str, window_seconds: int) -> int:
    cache.add(cache_key, 0, window_seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        return 1


# All the counters in one round trip (tracking look-ups are a hot path). Same keys (each
# through its cache's key function: per tenant, or the platform's prefix) and value format
# (a bare integer) as cache.add/incr; both caches live on the one REDIS_URL.
_COUNT_SCRIPT = """
for i, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'EX', ARGV[1], 'NX')
  if redis.call('INCR', key) > tonumber(ARGV[i + 1]) then return i end
end
return 0
"""
_script = None  # redis-py's Script: EVALSHA, loading the script again if Redis lost it


def _redis_count(counters: list[Counter], window_seconds: int) -> Counter | None:
    keys = [counter.cache.make_and_validate_key(counter.cache_key) for counter in counters]
    client = counters[0].cache._cache.get_client(keys[0], write=True)
    global _script
    if _script is None:
        _script = client.register_script(_COUNT_SCRIPT)
    over = _script(keys=keys, args=[window_seconds, *(counter.limit for counter in counters)], client=client)
    return counters[over - 1] if over else None

