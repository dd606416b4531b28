"""Production settings pass `manage.py check --deploy` with no warnings, and refuse to start
without their secrets or with the console SMS gateway."""

import os
import subprocess
import sys
from pathlib import Path

from tests.workers import free_port

ROOT = Path(__file__).resolve().parents[2]


SECRET = "k" * 20 + "-a-long-random-production-secret-" + "9Zq" * 10
KAVENEGAR = {"SMS_GATEWAY": "kavenegar", "KAVENEGAR_API_KEY": "4A6F7E2B9C1D-DEPLOY-CHECK"}
MEDIA = {"MEDIA_S3_BUCKET": "mizban-media"}


def _env(extra_env, django_env="production"):
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it in this process; production never has it.
    unwanted = ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SMS_GATEWAY", "KAVENEGAR_API_KEY",
                "MEDIA_STORAGE", "MEDIA_S3_BUCKET")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(DJANGO_ENV=django_env, DJANGO_SETTINGS_MODULE="mizban.settings", **extra_env)
    return env


def _check(extra_env, django_env="production"):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_env(extra_env, django_env), capture_output=True, text=True, timeout=120,
    )


def _services():
    return {"DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mizban"),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}


def test_production_settings_pass_the_deploy_check():
    result = _check({"DJANGO_SECRET_KEY": SECRET, **_services(), "PLATFORM_DOMAIN": "mizban.ir", **KAVENEGAR, **MEDIA})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_media_bucket():
    """Production keeps files in object storage unless told otherwise (README, Media in object storage)."""
    result = _check({"DJANGO_SECRET_KEY": SECRET, **_services(), "PLATFORM_DOMAIN": "mizban.ir", **KAVENEGAR})
    assert result.returncode != 0
    assert "MEDIA_S3_BUCKET is required when MEDIA_STORAGE is s3" in result.stderr
    result = _check({"DJANGO_SECRET_KEY": SECRET, **_services(), "PLATFORM_DOMAIN": "mizban.ir", **KAVENEGAR,
                     "MEDIA_STORAGE": "filesystem"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _check({"DATABASE_URL": "postgres://x@127.0.0.1/x", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_with_the_console_sms_gateway():
    result = _check({"DJANGO_SECRET_KEY": SECRET, **_services(), "PLATFORM_DOMAIN": "mizban.ir", "SMS_GATEWAY": "console", **MEDIA})
    assert result.returncode != 0
    assert "SMS_GATEWAY=console cannot run in production" in result.stderr


def test_gunicorn_with_production_settings_and_the_console_gateway_does_not_serve():
    """Not only `check`: the server itself stops, saying why."""
    env = _env({"DJANGO_SECRET_KEY": SECRET, **_services(), "PLATFORM_DOMAIN": "mizban.ir", **MEDIA})
    server = subprocess.run(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{free_port()}", "--workers", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert server.returncode != 0
    assert "SMS_GATEWAY=console cannot run in production" in server.stderr


def test_the_deploy_check_names_the_console_gateway_in_any_environment():
    """`check --deploy` of a development configuration that is about to be deployed."""
    result = _check({**_services(), "SMS_GATEWAY": "console"}, django_env="development")
    assert result.returncode != 0
    assert "notifications.E001" in result.stderr + result.stdout and "SMS_GATEWAY is console" in result.stderr + result.stdout
