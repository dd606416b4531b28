"""The first admin's invitation travels through a real Celery worker on Redis, and still
arrives when the broker is down."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mizban.celery import app as celery_app
from tenants.models import Tenant
from tenants.services import tenant_draft_clean, tenant_onboard
from tests.workers import ROOT, database_url_for


def _wait_for_mail(folder: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log"))
        if files and files[0].stat().st_size:
            return files[0].read_text()
        time.sleep(0.2)
    raise AssertionError("no e-mail arrived")


def _server_env(tmp_path, **extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test",
        DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        CELERY_TASK_ALWAYS_EAGER="0",
        **extra,
    )
    return env


@pytest.fixture
def worker(tmp_path, db):
    if not settings.REDIS_URL:
        pytest.fail("These tests need Redis: set REDIS_URL or let the project start its embedded one.")
    queue = f"mizban-test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mizban", "worker", "--pool", "solo", "-Q", queue, "--loglevel", "WARNING"],
        cwd=ROOT, env=_server_env(tmp_path, CELERY_QUEUE=queue),
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    yield tmp_path / "mail"
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
    process.terminate()
    process.wait(20)


def test_invitation_is_delivered_by_the_worker(worker, django_capture_on_commit_callbacks):
    draft = tenant_draft_clean(slug="worker-test", name="شهرداری کار", kind="municipality", province="qom", admin_email="admin@worker.test")
    with django_capture_on_commit_callbacks(execute=True):
        tenant_onboard(draft=draft)
    message = _wait_for_mail(worker)
    assert "To: admin@worker.test" in message
    assert "/accounts/password/reset/key/" in message


def test_invitation_arrives_when_the_broker_is_down(tmp_path, django_db_setup, django_db_blocker):
    """A real `onboard_tenant` with Redis unreachable: the e-mail is sent in-process instead.
    The tenant it commits is removed afterwards so that other tests see only alpha and beta."""
    slug = f"nobroker-{uuid.uuid4().hex[:6]}"
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "onboard_tenant", "--slug", slug, "--name", "دهیاری بی‌کارگزار",
             "--kind", "dehyari", "--province", "semnan", "--admin-email", "dehyar@nobroker.test"],
            cwd=ROOT, env=_server_env(tmp_path, REDIS_URL="redis://127.0.0.1:1/0"), capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        message = _wait_for_mail(tmp_path / "mail", timeout=5)
        assert "To: dehyar@nobroker.test" in message
        assert "Broker unreachable" in result.stderr
        with django_db_blocker.unblock():
            assert Tenant.objects.filter(slug=slug, status="trial").exists()
    finally:
        with django_db_blocker.unblock():
            tenant = Tenant.objects.filter(slug=slug).first()
            if tenant:
                tenant.delete()
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
