"""What a web process keeps per tenant (lib/generations.py): a full memo drops the entries read
longest ago, never the ones in use, so a process serving many tenants does not rebuild all of
them at once; a request reads its generations together and keeps them to its end."""

from __future__ import annotations

import uuid

import pytest
from django.core.signals import request_finished, request_started
from django_tenants.utils import schema_context

from lib import generations


def test_a_full_memo_drops_the_least_recently_read(tenant_a):
    generations._memo.clear()
    builds = []

    def kept(key):
        return generations.remembered("test-lru", key, lambda: builds.append(key) or key, seconds=60)

    try:
        with schema_context(tenant_a.schema_name):
            for key in range(generations._MEMO_MAX):
                kept(key)
            kept(0)  # read again: now the most recent
            kept("new")  # the memo is full: 1, read longest ago, goes
            assert len(generations._memo) == generations._MEMO_MAX
            builds.clear()
            kept(0), kept(2), kept("new")
            assert builds == []  # still kept
            kept(1)
            assert builds == [1]  # rebuilt
    finally:
        generations._memo.clear()


def _as_another_process_renews(name):
    """What another web process's renewal leaves in Redis: a new value under the same key."""
    generations._shared("set", generations._key(name), uuid.uuid4().hex, timeout=None)


@pytest.fixture
def a_request():
    """The signals Django sends around every request, as the handler sends them."""
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def test_a_request_reads_every_generation_at_once_and_keeps_them_to_its_end(tenant_a, a_request):
    with schema_context(tenant_a.schema_name):
        generations.generation("test-first"), generations.generation("test-second")  # asked before
        request_finished.send(sender=None)
        request_started.send(sender=None)  # the next request
        first = generations.generation("test-first")
        second = generations._generation_fetch("test-second")
        _as_another_process_renews("test-second")
        # Brought along with the first: this request keeps what it read at its start.
        assert generations.generation("test-second") == second
        _as_another_process_renews("test-first")
        assert generations.generation("test-first") == first
        request_finished.send(sender=None)
        request_started.send(sender=None)
        assert generations.generation("test-first") != first
        assert generations.generation("test-second") != second


def test_a_request_sees_its_own_renewal_at_once(tenant_a, a_request):
    with schema_context(tenant_a.schema_name):
        before = generations.generation("test-own")
        generations.generation_renew("test-own")
        assert generations.generation("test-own") not in (None, before)


def test_each_tenant_reads_its_own_generations(tenant_a, tenant_b, a_request):
    with schema_context(tenant_a.schema_name):
        of_a = generations.generation("test-tenant")
    with schema_context(tenant_b.schema_name):
        generations.generation_renew("test-tenant")
        of_b = generations.generation("test-tenant")
    with schema_context(tenant_a.schema_name):
        assert generations.generation("test-tenant") == of_a != of_b


def test_outside_a_request_every_read_asks_redis(tenant_a):
    with schema_context(tenant_a.schema_name):
        before = generations.generation("test-task")
        _as_another_process_renews("test-task")
        assert generations.generation("test-task") != before
