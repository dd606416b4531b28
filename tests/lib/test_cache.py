"""The production cache backend (lib.cache) against the real Redis: it behaves as Django's,
keeps one client per pool, and carries the attempt counters of tracking look-ups."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from lib.cache import PooledRedisCache
from lib.throttle import Counter, attempt_allowed, first_counter_over_limit


@pytest.fixture
def redis_cache(settings):
    assert django_settings.REDIS_URL, "the tests run with a Redis (the machine's or the embedded one)"
    prefix = f"test-cache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "lib.cache.PooledRedisCache", "LOCATION": django_settings.REDIS_URL, "KEY_PREFIX": prefix},
        "platform": {"BACKEND": "lib.cache.PooledRedisCache", "LOCATION": django_settings.REDIS_URL, "KEY_PREFIX": prefix + "-p"},
    }
    cache = caches["default"]
    yield cache
    # Not cache.clear(): it empties the whole Redis database, which Celery's tests share.
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


def test_it_stores_reads_counts_and_forgets_like_djangos(redis_cache):
    assert isinstance(redis_cache, PooledRedisCache)
    redis_cache.set("greeting", {"text": "سلام"}, 30)
    assert redis_cache.get("greeting") == {"text": "سلام"}
    assert redis_cache.add("greeting", "other", 30) is False
    redis_cache.set("count", 1, 30)
    assert redis_cache.incr("count") == 2
    redis_cache.delete("greeting")
    assert redis_cache.get("greeting", "gone") == "gone"


def test_one_client_serves_every_call_and_every_thread(redis_cache):
    first = redis_cache._cache.get_client("a", write=True)
    assert redis_cache._cache.get_client("b") is first

    def round_trip(n):
        redis_cache.set(f"key-{n}", n, 30)
        return redis_cache.get(f"key-{n}")

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(round_trip, range(40))) == list(range(40))


def test_the_attempt_counter_stops_at_its_limit_on_redis(redis_cache):
    key = uuid.uuid4().hex
    answers = [attempt_allowed(scope="track-ip", key=key, limit=3, window_seconds=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert attempt_allowed(scope="track-ip", key=key + "-other", limit=3, window_seconds=60) is True


def test_counters_in_one_call_stop_at_the_first_over_its_limit(redis_cache):
    ip, code = Counter("track-ip", uuid.uuid4().hex, 2), Counter("track-code", uuid.uuid4().hex, 5)
    answers = [first_counter_over_limit([ip, code], window_seconds=60) for _ in range(4)]
    assert answers == [None, None, ip, ip]
    # The code was counted only while the IP was allowed: twice, so three more are allowed.
    assert [first_counter_over_limit([code], window_seconds=60) for _ in range(4)] == [None, None, None, code]
    # Stored as cache.incr would (readable through the cache) and forgotten after the window.
    assert redis_cache.get(code.cache_key) == 6
    assert 0 < redis_cache._cache.get_client().ttl(redis_cache.make_key(code.cache_key)) <= 60


def test_calls_go_to_memory_while_redis_is_left_alone_and_back_once_it_answers(settings):
    """The breaker (lib/breaker.py) of a Redis that answers again: after its retry period the
    next call reaches Redis, and what was counted in memory meanwhile is not copied back."""
    prefix = f"test-cache-{uuid.uuid4().hex}"
    settings.CACHES = {name: {"BACKEND": "lib.cache.PooledRedisCache", "LOCATION": django_settings.REDIS_URL,
                              "KEY_PREFIX": f"{prefix}-{name}", "OPTIONS": {"RETRY_SECONDS": 0.3}}
                       for name in ("default", "platform")}
    cache = caches["default"]
    cache.breaker.failure(ConnectionError("as if Redis had not answered"))
    assert caches["platform"].breaker.is_open  # one breaker per Redis, whichever cache found out
    cache.set("seen", "in memory", 30)
    assert cache.get("seen") == "in memory" and cache.fallback.get("seen") == "in memory"
    deadline = time.monotonic() + 10
    while cache.breaker.is_open:
        assert time.monotonic() < deadline, "the breaker never tried Redis again"
        assert cache.get("seen") in ("in memory", None)
    assert cache.get("seen") is None  # read from Redis, which never had it
    cache.set("seen", "in Redis", 30)
    client = cache._cache.get_client(write=True)
    assert client.get(cache.make_key("seen")) is not None
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
