"""Django's Redis cache, keeping one Redis client per connection pool, and falling back to the
process's memory while Redis does not answer.

Django's own client builds a new `redis.Redis` for every cache call (about 0.1 ms: redis-py
fills its response-callback table each time), three times on every tracking look-up. A
client is thread-safe and holds no connection of its own (it borrows from the pool), so one
per pool is enough.

The cache is an optimisation, so a Redis outage must not take pages down: every call that
Redis does not answer (within the pool's short time-outs, `REDIS_CONNECT_TIMEOUT_SECONDS` and
`REDIS_SOCKET_TIMEOUT_SECONDS`) is made on a local-memory cache instead, and a circuit breaker
(`lib/breaker.py`) sends the calls of the next `REDIS_RETRY_SECONDS` there directly. Host
look-ups then read the database once per process and minute; attempt counters and allauth's
rate limits count per process, which still limits (a client's attempts spread over the web
processes at most multiply its allowance by their number). What was kept in memory is not
copied back when Redis returns: counters start again there, entries are read afresh.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django_tenants.cache import make_key as tenant_make_key
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from lib.breaker import Breaker, breaker_for

# What "Redis does not answer" looks like through redis-py (refused, reset, timed out, loading).
REDIS_DOWN_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
REDIS_RETRY_SECONDS_DEFAULT = 5.0


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def redis_name(url: str) -> str:
    """A Redis URL without its password, to name its breaker in logs."""
    parts = urlsplit(url)
    return f"Redis at {parts.hostname}:{parts.port or 6379}{parts.path or ''}"


def redis_breaker(url: str, cooldown: float = REDIS_RETRY_SECONDS_DEFAULT) -> Breaker:
    """The process's breaker for the Redis server at `url` (both caches share it)."""
    return breaker_for(redis_name(url), cooldown=cooldown)


class PooledRedisCache(RedisCache):
    """OPTIONS beyond redis-py's pool options: `RETRY_SECONDS`, how long to leave Redis alone
    after it failed to answer."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        retry_seconds = float(options.pop("RETRY_SECONDS", REDIS_RETRY_SECONDS_DEFAULT))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
        self.breaker = redis_breaker(self._servers[0], retry_seconds)
        self.fallback = LocMemCache(
            f"redis-fallback:{self._servers[0]}:{self.key_prefix}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": self.key_prefix, "VERSION": self.version,
             "KEY_FUNCTION": params.get("KEY_FUNCTION"), "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4}},
        )

    def through_redis(self, call):
        """`call(client)` on Redis; raises one of REDIS_DOWN_ERRORS (and opens the breaker) when
        Redis does not answer, or at once while the breaker is open."""
        if not self.breaker.available():
            raise RedisConnectionError(f"{self.breaker.name} is left alone for a few seconds (it did not answer).")
        try:
            result = call()
        except REDIS_DOWN_ERRORS as error:
            self.breaker.failure(error)
            raise
        self.breaker.success()
        return result

    def _either(self, name: str, *args, **kwargs):
        if self.breaker.available():
            try:
                return self.through_redis(lambda: getattr(RedisCache, name)(self, *args, **kwargs))
            except REDIS_DOWN_ERRORS:
                pass
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        # Forget it locally too: an entry kept here during an outage must not outlive a change.
        self.fallback.delete(*args, **kwargs)
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        self.fallback.delete_many(*args, **kwargs)
        return self._either("delete_many", *args, **kwargs)

    def clear(self):
        self.fallback.clear()
        return self._either("clear")


def make_key(key: str, key_prefix: str, version) -> str:
    """django-tenants' key (per schema), except for allauth's per-IP rate limits
    (`allauth:rl:<app>:<action>:<rate>:ip:<address>`, and their locks): one address trying on
    every tenant's host counts once, as our own per-IP counters do (lib/throttle.py)."""
    if key.startswith("allauth:rl:") and ":ip:" in key:
        return f"all-tenants:{key_prefix}:{version}:{key}"
    return tenant_make_key(key, key_prefix, version)
