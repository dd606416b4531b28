"""Production settings pass `manage.py check --deploy` with no warnings, and refuse to start
without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(extra_env):
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it in this process; production never has it.
    unwanted = ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="mizban.settings", **extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _check({
        "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-" + "9Zq" * 10,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mizban"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "PLATFORM_DOMAIN": "mizban.ir",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _check({"DATABASE_URL": "postgres://x@127.0.0.1/x", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
