"""What a web process may keep in memory for a tenant until that tenant changes it.

Each (tenant, name) has a generation in the shared cache (Redis: the same for every process);
a change renews it once it has committed, and what a process built is kept under the
generation it was built for, for `seconds` at most. A page then costs one small Redis round
trip instead of its queries, and a change reaches every process on its next page. A reader
that read the rows just before a commit keeps them under the old generation, which nobody asks
for again; a write the signals do not see (raw SQL, an import) is seen after `seconds`.

Within a web request the generations are read together: the first one a request asks for
brings every name this process has asked for before, for the same tenant, in one MGET, and the
request keeps them until it ends (a page asked three or four Redis GETs, a submit six). A
request sees its own renewals at once; another process's, from its next request on.

Redis unreachable: the shared cache falls back to the process's memory (lib/cache.py), so a
process sees its own changes at once and another process's within `seconds`; a cache that
raises anyway keeps nothing and every page reads the database (an outage never takes a
portal down with it).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)
CACHE = "themes"  # Redis whenever there is one, also in the tests (their server has two workers)
_MEMO_MAX = 4096
# Least recently used first: a full memo drops its oldest entries, not everything (a clear made
# every process rebuild all its tenants' pages at once under load).
_memo: OrderedDict[tuple, tuple[float, object]] = OrderedDict()


def _shared(operation: str, *args, **kwargs):
    try:
        return getattr(caches[CACHE], operation)(*args, **kwargs)
    except Exception as error:  # redis-py raises several kinds for an unreachable server
        logger.warning("Shared cache unreachable (%s); reading from the database.", error)
        return None


def _key(name: str) -> str:
    return f"generation:{name}"  # the cache's key function adds the schema


# The names this process has asked for: what a request's first read brings along.
_names_asked: set[str] = set()
# This thread's request, if it serves one: {schema: {name: generation}} as read in it.
_request = threading.local()


def _request_begins(**_kwargs) -> None:
    _request.read = {}


def _request_ends(**_kwargs) -> None:
    _request.read = None


request_started.connect(_request_begins, dispatch_uid="lib.generations.request_begins")
request_finished.connect(_request_ends, dispatch_uid="lib.generations.request_ends")


def generation(name: str) -> str | None:
    """The current tenant's generation of `name`; None when the shared cache cannot be reached."""
    _names_asked.add(name)
    read = getattr(_request, "read", None)
    if read is None:  # outside a request (a task, a command): nothing to share
        return _generation_fetch(name)
    schema = connection.schema_name
    if schema not in read:
        names = sorted(_names_asked)
        found = _shared("get_many", [_key(each) for each in names]) or {}
        read[schema] = {each: found[_key(each)] for each in names if found.get(_key(each))}
    current = read[schema].get(name)
    if current is None:
        current = read[schema][name] = _generation_fetch(name)
    return current


def _generation_fetch(name: str) -> str | None:
    current = _shared("get", _key(name))
    if current is None:
        _shared("add", _key(name), uuid.uuid4().hex, timeout=None)
        current = _shared("get", _key(name))
    return current or None


def _request_forgets(schema: str, name: str) -> None:
    read = getattr(_request, "read", None)
    if read and schema in read:
        read[schema].pop(name, None)


def generation_renew(name: str) -> None:
    """The current tenant changed `name`: a new generation now and once the change has
    committed (one renewal per transaction however many rows it wrote)."""
    schema = connection.schema_name
    _shared("set", _key(name), uuid.uuid4().hex, timeout=None)
    _request_forgets(schema, name)
    if not connection.in_atomic_block:
        return
    tag = (schema, name)
    # Django drops a rolled-back transaction's callbacks with it, so this list is the truth.
    if any(getattr(callback, "generation", None) == tag for _ids, callback, _robust in connection.run_on_commit):
        return

    def renew():
        with schema_context(schema):
            _shared("set", _key(name), uuid.uuid4().hex, timeout=None)
        _request_forgets(schema, name)

    renew.generation = tag
    transaction.on_commit(renew)


def remembered(name: str, key, build, *, seconds: float):
    """`build()`, or what this process built for the same tenant, `key` and generation of
    `name` less than `seconds` ago. The value is shared by the requests that read it: read only."""
    current = generation(name) if seconds > 0 else None
    if current is None:
        return build()
    memo_key = (connection.schema_name, name, current, key)
    now = time.monotonic()
    kept = _memo.get(memo_key)
    if kept is not None and kept[0] > now:
        try:
            _memo.move_to_end(memo_key)
        except KeyError:  # another thread dropped it meanwhile
            pass
        return kept[1]
    value = build()
    if value is None:  # nothing found is not kept: random keys must not fill the memory
        return value
    _memo[memo_key] = (now + seconds, value)
    while len(_memo) > _MEMO_MAX:
        try:
            _memo.popitem(last=False)
        except KeyError:  # emptied by another thread
            break
    return value
