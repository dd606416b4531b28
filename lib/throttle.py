"""Counting attempts (tracking look-ups, one-time codes) so that guessing gets nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import BaseCache, caches

from lib.cache import REDIS_DOWN_ERRORS, PooledRedisCache


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


def attempts_reached(counter: Counter) -> bool:
    """Whether `counter` already holds `limit` attempts, without counting one: for limits that
    count only failures (a wrong identity for a tracking code), read before the attempt and
    counted after it only if it failed."""
    return (counter.cache.get(counter.cache_key) or 0) >= counter.limit


def first_counter_over_limit(counters: list[Counter], *, window_seconds: int) -> Counter | None:
    """Count one attempt on each counter in turn, stopping at the first one over its limit
    (the counters after it are not counted); that counter, or None when all allow it."""
    caches_used = [counter.cache for counter in counters]
    if all(isinstance(cache, PooledRedisCache) for cache in caches_used) and caches_used[0].breaker.available():
        try:
            return caches_used[0].through_redis(lambda: _redis_count(counters, window_seconds))
        except REDIS_DOWN_ERRORS:
            pass  # Redis does not answer: count in the caches' fallback (the process), below
    for counter in counters:
        if _cache_count(counter.cache, counter.cache_key, window_seconds) > counter.limit:
            return counter
    return None


def counted_then_reached(counted: Counter, read: Counter, *, window_seconds: int) -> tuple[bool, bool]:
    """Count one attempt on `counted`, then, unless that is over its limit, read `read` as
    `attempts_reached` does: (counted is over its limit, read has reached its limit). One round
    trip where both live on Redis (the tracking look-up's two limits, on its hottest path)."""
    caches_used = (counted.cache, read.cache)
    if all(isinstance(cache, PooledRedisCache) for cache in caches_used) and caches_used[0].breaker.available():
        try:
            reached = caches_used[0].through_redis(lambda: _redis_count_then_read(counted, read, window_seconds))
            return reached is None, bool(reached)
        except REDIS_DOWN_ERRORS:
            pass  # Redis does not answer: the caches' fallback (the process), below
    if first_counter_over_limit([counted], window_seconds=window_seconds) is not None:
        return True, False
    return False, attempts_reached(read)


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
_COUNT_THEN_READ_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
if redis.call('INCR', KEYS[1]) > tonumber(ARGV[2]) then return -1 end
if (tonumber(redis.call('GET', KEYS[2]) or '0') or 0) >= tonumber(ARGV[3]) then return 1 end
return 0
"""
_count_then_read_script = None


def _redis_count(counters: list[Counter], window_seconds: int) -> Counter | None:
    keys = [counter.cache.make_and_validate_key(counter.cache_key) for counter in counters]
    client = counters[0].cache._cache.get_client(keys[0], write=True)
    global _script
    if _script is None:
        _script = client.register_script(_COUNT_SCRIPT)
    over = _script(keys=keys, args=[window_seconds, *(counter.limit for counter in counters)], client=client)
    return counters[over - 1] if over else None



def _redis_count_then_read(counted: Counter, read: Counter, window_seconds: int) -> bool | None:
    """None when `counted` is over its limit, else whether `read` has reached its own."""
    keys = [counted.cache.make_and_validate_key(counted.cache_key), read.cache.make_and_validate_key(read.cache_key)]
    client = counted.cache._cache.get_client(keys[0], write=True)
    global _count_then_read_script
    if _count_then_read_script is None:
        _count_then_read_script = client.register_script(_COUNT_THEN_READ_SCRIPT)
    answer = _count_then_read_script(keys=keys, args=[window_seconds, counted.limit, read.limit], client=client)
    return None if answer == -1 else answer == 1
