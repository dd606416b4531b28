"""A local fake Kavenegar: pytest-httpserver answering /v1/{API-KEY}/sms/send.json as
Kavenegar's REST API does, and a real Celery worker started against the session database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from werkzeug import Response

from mizban.celery import app as celery_app
from tests.conftest import ROOT, _database_url_for

API_KEY = "4A6F7E2B9C1D-TEST-KEY-5E8F0A3B"
SENDER = "10004346"


class FakeKavenegar:
    """Answers like Kavenegar; `down` makes it answer 500, `refuse` with a JSON error status."""

    def __init__(self, server):
        self.server, self.down, self.refuse, self.next_id = server, False, None, 8792343
        self.received: list[dict] = []
        server.expect_request(f"/v1/{API_KEY}/sms/send.json", method="POST").respond_with_handler(self._handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def _handle(self, request):
        self.received.append({"path": request.path, "form": request.form.to_dict(), "content_type": request.content_type})
        if self.down:
            return Response("<html><body>500 Internal Server Error</body></html>", status=500, content_type="text/html")
        if self.refuse:
            body = {"return": {"status": self.refuse, "message": "گیرنده معتبر نیست"}, "entries": None}
            return Response(json.dumps(body, ensure_ascii=False), status=self.refuse, content_type="application/json")
        self.next_id += 1
        form = request.form
        entry = {
            "messageid": self.next_id, "message": form["message"], "status": 1, "statustext": "در صف ارسال",
            "sender": form.get("sender", SENDER), "receptor": form["receptor"], "date": 1356619709, "cost": 120,
        }
        body = {"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]}
        return Response(json.dumps(body, ensure_ascii=False), status=200, content_type="application/json")


@pytest.fixture
def kavenegar(httpserver):
    return FakeKavenegar(httpserver)


@contextmanager
def celery_worker(log_path: Path, queue: str | None = None, **env_extra):
    """A worker subprocess on its own queue (or `queue`, where tasks may already wait),
    pointed at the session's test database; the test process sends its tasks to that queue
    meanwhile."""
    queue = queue or f"mizban-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test",
        DATABASE_URL=_database_url_for(connection.settings_dict["NAME"]),
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_QUEUE=queue,
        LOG_LEVEL="INFO",
        **env_extra,
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mizban", "worker", "--pool", "solo", "-Q", queue, "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        process.wait(20)
