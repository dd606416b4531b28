"""What a web process keeps per tenant (lib/generations.py): a full memo drops the entries read
longest ago, never the ones in use, so a process serving many tenants does not rebuild all of
them at once."""

from __future__ import annotations

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
