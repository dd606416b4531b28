"""DATABASE_POOL_MODE: session pooling starts, transaction and statement pooling are refused
at start-up with the reason (README, Pooling)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.workers import ROOT


def _start_django(**env_extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="mizban.settings_test", **env_extra)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DATABASE_POOL_MODE or 'direct')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("mode", ["transaction", "statement"])
def test_transaction_and_statement_pooling_refuse_to_start_and_say_why(mode):
    started = _start_django(DATABASE_POOL_MODE=mode)
    assert started.returncode != 0
    assert f"DATABASE_POOL_MODE={mode}: Mizban supports session pooling only." in started.stderr
    assert "pool_mode = session" in started.stderr


def test_session_pooling_and_direct_connections_start():
    assert _start_django(DATABASE_POOL_MODE="session").stdout.strip() == "session"
    assert _start_django().stdout.strip() == "direct"


def test_an_unknown_pool_mode_is_refused():
    started = _start_django(DATABASE_POOL_MODE="sessions")
    assert started.returncode != 0
    assert "DATABASE_POOL_MODE must be empty (direct connections), session, transaction or statement" in started.stderr
