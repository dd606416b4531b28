"""What a web process keeps per tenant (lib/generations.py): a full memo drops the entries read
longest ago, never the ones in use, so a process serving many tenants does not rebuild all of
them at once."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from lib import generations


@pytest.fixture
def small_memo(monkeypatch):
    monkeypatch.setattr(generations, "_MEMO_MAX", 3)
    generations._memo.clear()
    yield
    generations._memo.clear()


def test_a_full_memo_drops_the_least_recently_read(small_memo, tenant_a):
    builds = []

    def kept(key):
        return generations.remembered("test-lru", key, lambda: builds.append(key) or key, seconds=60)

    with schema_context(tenant_a.schema_name):
        for key in ("a", "b", "c"):
            kept(key)
        kept("a")  # read again: now the most recent
        kept("d")  # the memo is full: "b", read longest ago, goes
        assert builds == ["a", "b", "c", "d"]
        kept("a"), kept("c"), kept("d")
        assert builds == ["a", "b", "c", "d"]  # still kept
        kept("b")
        assert builds == ["a", "b", "c", "d", "b"]  # rebuilt
    assert len(generations._memo) == 3
