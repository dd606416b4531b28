"""bench/load.py end to end with small numbers (4 citizens, 2 tenants, 5 seconds): its own
throw-away database, gunicorn with the production settings, and one JSON line with exactly
its keys, every request answered with a tracking code kept once, no error."""

import json
import os
import subprocess
import sys

from tests.workers import ROOT

KEYS = ["clients", "tenants", "requests", "errors", "lost", "duplicated", "page_p95_ms", "submit_p95_ms", "lookup_p95_ms"]


def test_the_load_bench_prints_one_line_with_no_error_lost_or_duplicated():
    # As a person runs it: not under the test settings.
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ENV", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--clients", "4", "--tenants", "2", "--duration", "5", "--think", "0.2",
         "--workers", "2", "--threads", "2", "--database", f"mizban_bench_load_test_{os.getpid()}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    figures = json.loads(lines[0])
    assert list(figures) == KEYS
    assert figures["clients"] == 4 and figures["tenants"] == 2 and figures["requests"] >= 1, (figures, result.stderr[-2000:])
    assert figures["errors"] == figures["lost"] == figures["duplicated"] == 0, (figures, result.stderr[-2000:])
    assert all(figures[key] > 0 for key in ("page_p95_ms", "submit_p95_ms", "lookup_p95_ms")), figures
