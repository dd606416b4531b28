"""Work the tests start beside themselves: a real Celery worker, servers on free loopback
ports pointed at the session's test database, and threads with their own connection."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

from mizban.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent  # the repository: where subprocesses run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for(name: str) -> str:
    """DATABASE_URL with the database `name` (the session's test database, for a subprocess)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def celery_worker(log_path: Path, queue: str | None = None, **env_extra):
    """A worker subprocess on its own queue (or `queue`, where tasks may already wait),
    pointed at the session's test database; the test process sends its tasks to that queue
    meanwhile."""
    queue = queue or f"mizban-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test",
        DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
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


def in_thread(target, *args, **kwargs) -> tuple[threading.Thread, dict]:
    """Run `target` on its own thread (so its own database connection); the result or the
    exception lands in the returned dict."""
    outcome: dict = {}

    def body():
        try:
            outcome["result"] = target(*args, **kwargs)
        except BaseException as error:  # handed back to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, outcome
