"""bench/request_cost.py end to end with small numbers: one JSON line with each request kind's
wall time and the CPU every party spent on it, and a citizen's round in all."""

import json
import os
import subprocess
import sys

from tests.workers import ROOT

KINDS = ["home", "catalogue", "service", "submit", "look_up"]
PARTIES = ["wall_ms", "gunicorn_ms", "postgres_ms", "redis_ms", "client_ms"]


def test_the_request_cost_bench_prints_each_kind_and_the_round():
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ENV", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "bench/request_cost.py", "--requests", "30", "--tenants", "1", "--database", f"mizban_bench_cost_test_{os.getpid()}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    figures = json.loads(lines[0])
    assert list(figures) == [*KINDS, "citizen_round_cpu_ms"]
    for kind in KINDS:
        assert list(figures[kind]) == PARTIES and figures[kind]["wall_ms"] > 0, figures
    assert figures["submit"]["gunicorn_ms"] > figures["home"]["gunicorn_ms"] > 0, figures  # a submit is the heaviest request
    assert figures["citizen_round_cpu_ms"] > figures["submit"]["gunicorn_ms"], figures
