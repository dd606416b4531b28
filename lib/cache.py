"""Django's Redis cache, keeping one Redis client per connection pool.

Django's own client builds a new `redis.Redis` for every cache call (about 0.1 ms: redis-py
fills its response-callback table each time), three times on every tracking look-up. A
client is thread-safe and holds no connection of its own (it borrows from the pool), so one
per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django_tenants.cache import make_key as tenant_make_key


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


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient


def make_key(key: str, key_prefix: str, version) -> str:
    """django-tenants' key (per schema), except for allauth's per-IP rate limits
    (`allauth:rl:<app>:<action>:<rate>:ip:<address>`, and their locks): one address trying on
    every tenant's host counts once, as our own per-IP counters do (lib/throttle.py)."""
    if key.startswith("allauth:rl:") and ":ip:" in key:
        return f"all-tenants:{key_prefix}:{version}:{key}"
    return tenant_make_key(key, key_prefix, version)
