"""The container image without a container runtime: the Dockerfile linted by hadolint and read
for what the issue asks of it, and its runtime stage laid out on this machine
(tests/image_layout.py) and run from the image's entry point as an unprivileged user against the
session's database and a Redis of the test's own: migrate, gunicorn, a worker and beat must
start and answer, then stop cleanly on SIGTERM as a pod's stop sends it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from tests.image_layout import SYSTEM_PYTHON, build_context, read_only, runtime_venv, unprivileged_user
from tests.outages import ThrowawayRedis, wait_for
from tests.workers import ROOT, database_url_for, free_port

DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = "infra/docker/entrypoint.sh"


def _stages() -> list[list[str]]:
    """The Dockerfile's instructions per stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def test_hadolint_finds_nothing():
    hadolint = Path(sys.executable).parent / "hadolint"
    completed = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, timeout=120)
    assert (completed.returncode, completed.stdout + completed.stderr) == (0, "")
    # Each rule it is told to ignore says why, on the line before.
    lines = DOCKERFILE.read_text().splitlines()
    for i, line in enumerate(lines):
        if "hadolint ignore=" in line:
            assert lines[i - 1].startswith("#") and len(lines[i - 1]) > 30, line


def test_the_dockerfile_is_what_the_issue_asks():
    build, runtime = _stages()
    assert build[0] == "FROM ${PYTHON_IMAGE} AS build" and runtime[0] == "FROM ${PYTHON_IMAGE} AS runtime"
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE.read_text(), re.M)
    build_text, runtime_text = "\n".join(build), "\n".join(runtime)
    # Dependencies from the lock file, in the build stage; static files and the catalogue made there.
    assert "COPY requirements.lock" in build_text and "pip install --no-compile -r /tmp/requirements.lock" in build_text
    assert "infra/docker/build-assets.sh" in build_text
    # No compiler in the final stage: only WeasyPrint's libraries, fontconfig and libpq.
    assert "build-essential" in build_text
    for tool in ("build-essential", "gcc", "g++", "make", "-dev ", "python3-dev"):
        assert tool not in runtime_text, tool
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in runtime_text
    assert "Vazirmatn-Regular.ttf" in runtime_text and "fc-cache" in runtime_text
    assert "COPY --from=build /opt/venv /opt/venv" in runtime_text and "COPY --from=build /app /app" in runtime_text
    # A numeric non-root user (Kubernetes' runAsNonRoot can only check a number), set last.
    users = [line for line in runtime if line.startswith("USER ")]
    assert users == ["USER 10001:10001"]
    assert runtime.index(users[0]) > max(i for i, line in enumerate(runtime) if line.startswith("RUN "))
    assert f'ENTRYPOINT ["/app/{ENTRYPOINT}"]' in runtime_text and 'CMD ["web"]' in runtime_text
    assert "DJANGO_ENV=production" in runtime_text


def test_dockerignore_keeps_state_secrets_and_tests_out(tmp_path):
    copied = set(build_context(tmp_path))
    assert {"manage.py", "gunicorn.conf.py", "requirements.lock", ENTRYPOINT, "infra/docker/build-assets.sh",
            "static/fonts/Vazirmatn-Regular.ttf", "locale/fa/LC_MESSAGES/django.po"} <= copied
    for path in copied:
        assert not path.startswith((".git/", ".venv/", ".data/", "tests/", "bench/", "infra/terraform/", ".ci/")), path
        assert "__pycache__" not in path and not path.endswith((".pyc", ".pem", ".key")), path


# --- The runtime stage, run ----------------------------------------------------------------


@pytest.fixture(scope="module")
def layout(django_db_setup, django_db_blocker):
    """The image's /opt/venv and /app on this machine, assets built; removed afterwards."""
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"The image's layout is built from the system's Python 3.11 ({SYSTEM_PYTHON}); .ci/run installs it.")
    venv = runtime_venv()
    app = Path(tempfile.mkdtemp(prefix="mizban-image-app-"))
    build_context(app)
    built = subprocess.run(["sh", ENTRYPOINT.replace("entrypoint", "build-assets")], cwd=app, capture_output=True, text=True, timeout=900,
                           env={**_path_env(venv), "MIZBAN_APP_DIR": str(app), "MIZBAN_PYTHON": str(venv / "bin" / "python")})
    assert built.returncode == 0, built.stdout + built.stderr
    read_only(app)
    yield venv, app
    read_only(app, writable=True)
    shutil.rmtree(app, ignore_errors=True)


def _path_env(venv: Path) -> dict:
    return {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


class Image:
    """Processes started from the entry point as the image starts them: its environment (the
    Dockerfile's ENV plus what Kubernetes gives), as an unprivileged user, in the app folder."""

    def __init__(self, venv: Path, app: Path, data: Path, redis_url: str, port: int):
        self.app, self.port, self.data, self.processes = app, port, data, {}
        self.env = {
            **_path_env(venv),
            "DJANGO_ENV": "production", "DJANGO_SETTINGS_MODULE": "mizban.settings", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1", "MIZBAN_DATA_DIR": str(data), "MIZBAN_APP_DIR": str(app),
            "MIZBAN_PYTHON": str(venv / "bin" / "python"), "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": "-", "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]), "REDIS_URL": redis_url,
            "DJANGO_SECRET_KEY": "image-test-" + uuid.uuid4().hex, "SMS_GATEWAY": "kavenegar", "KAVENEGAR_API_KEY": "image-test",
            "KAVENEGAR_API_BASE": "http://127.0.0.1:9", "PLATFORM_DOMAIN": django_settings.PLATFORM_DOMAIN,
            "CELERY_QUEUE": f"mizban-image-{uuid.uuid4().hex[:8]}", "CELERY_WORKER_CONCURRENCY": "1", "WORKER_HEARTBEAT_SECONDS": "1",
            "TENANT_SPARE_SCHEMAS": "0", "HOSTNAME": "image-test", "MEDIA_STORAGE": "filesystem",
            "PROMETHEUS_MULTIPROC_DIR": str(data / "prometheus"),
        }
        self.user = unprivileged_user()

    def _preexec(self):
        os.setsid()  # its own process group: a stop reaches gunicorn's or Celery's children
        if self.user:
            os.setgid(self.user[1])
            os.setgroups([])
            os.setuid(self.user[0])

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", str(self.app / ENTRYPOINT), *args], cwd=self.app, env=self.env, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=self._preexec)

    def start(self, command: str) -> subprocess.Popen:
        log = open(self.data.parent / f"{command}.log", "w")
        process = subprocess.Popen(["sh", str(self.app / ENTRYPOINT), command], cwd=self.app, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT, preexec_fn=self._preexec)
        self.processes[command] = process
        return process

    def log(self, command: str) -> str:
        return (self.data.parent / f"{command}.log").read_text()

    def get(self, path: str) -> requests.Response:
        return requests.get(f"http://127.0.0.1:{self.port}{path}", timeout=15, allow_redirects=False,
                            headers={"Host": django_settings.PLATFORM_DOMAIN, "X-Forwarded-Proto": "https"})

    def stop(self, command: str) -> int:
        process = self.processes[command]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # to the entry point's exec'd process, as a pod's stop does
        return process.wait(60)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def _uid(process: subprocess.Popen) -> int:
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))


def _answers(image: Image, path: str):
    try:
        return image.get(path)
    except requests.RequestException:
        return None


def test_the_runtime_layout_runs_migrate_web_worker_and_beat_from_the_entry_point(layout, tmp_path):
    venv, app = layout
    # Under the system's temporary folder: pytest's own is its user's alone.
    box = Path(tempfile.mkdtemp(prefix="mizban-image-run-"))
    box.chmod(0o755)
    data = box / "data"
    data.mkdir()
    redis = ThrowawayRedis(tmp_path / "redis").start()
    image = Image(venv, app, data, redis.url, free_port())
    if image.user:
        shutil.chown(data, image.user[0], image.user[1])
    before = sorted(str(p.relative_to(app)) for p in app.rglob("*"))
    try:
        # The release's Job: migrate_tenants through the entry point (the session's schemas are current).
        migrated = image.run("migrate", "--skip-public")
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "0 to migrate" in migrated.stdout

        # A write into the app folder fails for the image's user, as on a read-only root.
        probe = image.run("manage", "shell", "-c", "open('written-by-the-app', 'w')")
        assert probe.returncode != 0 and "Permission denied" in probe.stderr

        web = image.start("web")
        response = wait_for(lambda: (r := _answers(image, "/healthz")) is not None and r.status_code in (200, 503) and r,
                            what="gunicorn from the entry point to answer", seconds=120, log=data.parent / "web.log")
        assert response.status_code == 200 and web.poll() is None
        assert (data / "prometheus").is_dir()  # made by the entry point, under the writable /tmp
        if image.user:
            assert _uid(web) == image.user[0] != 0
        ready = image.get("/readyz")
        assert (ready.status_code, ready.json()["status"]) == (200, "ready"), ready.text
        # Static files collected and fingerprinted at build time, served by whitenoise.
        manifest = (app / "staticfiles" / "staticfiles.json").read_text()
        hashed = re.search(r'"(css/[^"]+\.[0-9a-f]{12}\.css)"', manifest).group(1)
        assert image.get(f"/static/{hashed}").status_code == 200
        assert (app / "locale" / "fa" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
        assert image.get("/healthz?require=worker").status_code == 503  # no worker yet

        worker = image.start("worker")
        wait_for(lambda: image.get("/healthz?require=worker").status_code == 200, what="the worker's heartbeat",
                 seconds=120, log=data.parent / "worker.log")
        assert image.get("/healthz").json()["checks"]["worker"] == "ok"
        assert worker.poll() is None

        beat = image.start("beat")
        wait_for(lambda: list(data.glob("celerybeat-schedule*")) and "beat: Starting" in image.log("beat"),
                 what="beat to start with its schedule under MIZBAN_DATA_DIR", seconds=120, log=data.parent / "beat.log")
        assert beat.poll() is None

        # SIGTERM, as Kubernetes stops a pod: each ends on its own, cleanly.
        assert image.stop("beat") == 0, image.log("beat")[-2000:]
        # Read by the image's own Python: the dbm module that wrote the file is that Python's.
        read = image.run("manage", "shell", "-c", "import shelve; print(' '.join(sorted(shelve.open("
                         f"'{data / 'celerybeat-schedule'}', flag='r')['entries'])))")
        assert read.returncode == 0, read.stderr
        assert set(django_settings.CELERY_BEAT_SCHEDULE) <= set(read.stdout.split())
        assert image.stop("worker") == 0, image.log("worker")[-2000:]
        wait_for(lambda: image.get("/healthz").json()["checks"]["worker"] == "no answer", what="the worker's heartbeat gone")
        assert image.stop("web") == 0, image.log("web")[-2000:]
        assert "Traceback" not in image.log("web") + image.log("worker") + image.log("beat")
    finally:
        image.stop_all()
        redis.kill()
        shutil.rmtree(box, ignore_errors=True)
    assert sorted(str(p.relative_to(app)) for p in app.rglob("*")) == before  # nothing written into /app
