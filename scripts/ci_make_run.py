"""CI's `make run` job: the README's first command, as a new user meets it.

Usage: python3 scripts/ci_make_run.py CLONE   (a fresh clone with no ../shared beside it)

With DATABASE_URL and REDIS_URL unset (so the embedded PostgreSQL and Redis start), it runs
`make run` on a free port, waits for /healthz, checks that a Celery worker answers, looks up a
demo request on a demo tenant's tracking page and asks for its one-time code, waits for that
SMS in make run's output (the console gateway prints it), queues one more SMS in the tenant's
outbox and waits for the worker to send it, then presses Ctrl-C and checks that every process
is gone: the make run tree, then the embedded PostgreSQL and Redis once stopped.
Standard library only: it runs before any virtualenv exists.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

INSTALL_AND_START_SECONDS = 25 * 60  # a cold pip install, initdb, migrations and the demo data
TENANT = "isfahan"
UNSET = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MIZBAN_DATA_DIR", "MEDIA_ROOT",
         "CELERY_QUEUE", "VIRTUAL_ENV", "PLATFORM_PORT", "PORT", "MIZBAN_REDIS_PORT",
         "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "LOCAL_STRIPE_PORT")


class JobFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"ci make run: {message}", flush=True)


# --- processes -------------------------------------------------------------------------------


def _stat(pid: int):
    """(parent pid, state, start time) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), fields[0], int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _live_pids():
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] != "Z":
                yield int(entry), stat


def tree_of(root: int) -> dict[int, tuple[int, str]]:
    """Every live process below `root`: pid -> (start time, command line)."""
    table = dict(_live_pids())
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _state, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = (started, _cmdline(pid))
                frontier.append(pid)
    return found


def still_running(processes: dict[int, tuple[int, str]]) -> list[str]:
    left = []
    for pid, (started, cmdline) in processes.items():
        stat = _stat(pid)
        if stat and stat[2] == started and stat[1] != "Z":
            left.append(f"  {pid} {cmdline}")
    return left


def _ancestors() -> set[int]:
    """This script and the processes that started it (their command lines name the clone)."""
    pids, pid = set(), os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        stat = _stat(pid)
        pid = stat[0] if stat else 0
    return pids


def processes_of(clone: Path) -> list[str]:
    """Processes whose command line or working folder is inside the clone."""
    left, mine = [], _ancestors()
    for pid, _stat_row in _live_pids():
        if pid in mine:
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        cmdline = _cmdline(pid)
        if str(clone) in cmdline or cwd == str(clone) or cwd.startswith(f"{clone}/"):
            left.append(f"  {pid} {cmdline} (in {cwd})")
    return left


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP, as a browser would (cookies, CSRF token) -----------------------------------------


class Browser:
    def __init__(self, port: int, host: str):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = dict(form, csrfmiddlewaretoken=self.cookies.get("csrftoken", ""))
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


# --- the job ---------------------------------------------------------------------------------


class MakeRun:
    def __init__(self, clone: Path, log_path: Path):
        self.clone, self.log_path = clone, log_path
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in UNSET}
        # The clone's own embedded Redis, never one that another checkout left on 6390.
        self.env["MIZBAN_REDIS_PORT"] = str(free_port())
        self.env["LOCAL_STRIPE_PORT"] = str(free_port())  # likewise for the local test Stripe
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines: int = 60) -> str:
        return "\n".join("    " + line for line in self.log().splitlines()[-lines:])

    def start(self) -> None:
        say(f"starting `make run PORT={self.port}` in {self.clone} with no DATABASE_URL and no REDIS_URL")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                ["make", "run", f"PORT={self.port}"], cwd=self.clone, env=self.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def python(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.clone / ".venv/bin/python"), *args], cwd=self.clone, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def healthz(self) -> dict | None:
        try:
            status, text = Browser(self.port, "localhost").request("GET", "/healthz")
            return json.loads(text) if status in (200, 503) else None
        except (OSError, http.client.HTTPException, ValueError):  # not up yet, or not JSON yet
            return None

    def wait_for_healthz(self) -> dict:
        started = time.monotonic()
        while time.monotonic() - started < INSTALL_AND_START_SECONDS:
            if self.process.poll() is not None:
                raise JobFailed(f"make run ended (exit code {self.process.returncode}) before /healthz answered")
            body = self.healthz()
            checks = (body or {}).get("checks", {})
            # The worker is waited for next, on its own clock: /healthz may be 503 until then.
            if checks.get("postgres") == "ok" and checks.get("redis") == "ok":
                say(f"/healthz answered after {time.monotonic() - started:.0f}s: {json.dumps(body['checks'])}")
                self.check_embedded_services()
                return body
            time.sleep(2)
        raise JobFailed(f"/healthz did not report PostgreSQL and Redis \"ok\" within {INSTALL_AND_START_SECONDS}s (last: {body})")

    def check_embedded_services(self) -> None:
        """The clone's embedded PostgreSQL and Redis are the ones serving, not the machine's."""
        postgres = [line for line in processes_of(self.clone) if "postgres" in line and "/.data/postgres" in line]
        if not postgres:
            raise JobFailed("no embedded PostgreSQL runs from the clone's .data/postgres")
        if not (self.clone / ".data" / "redis" / "redis.pid").exists():
            raise JobFailed("the clone's embedded Redis did not start (no .data/redis/redis.pid)")
        say(f"the clone's embedded PostgreSQL and Redis (port {self.env['MIZBAN_REDIS_PORT']}) serve it")

    def wait_for_worker(self) -> None:
        deadline = time.monotonic() + 120
        how = ""
        while time.monotonic() < deadline:
            body = self.healthz() or {}
            worker = body.get("checks", {}).get("worker")
            if worker is not None:  # /healthz reports the worker itself
                how = f"/healthz checks.worker = {worker!r}"
                if worker == "ok":
                    say(f"the worker answers ({how})")
                    return
            else:
                ping = self.python("-m", "celery", "-A", "mizban", "inspect", "ping", "--timeout", "5")
                how = f"`celery inspect ping`: {(ping.stdout + ping.stderr).strip()[-300:]}"
                if ping.returncode == 0:
                    say("the worker answers `celery -A mizban inspect ping`")
                    return
            time.sleep(3)
        raise JobFailed(f"no Celery worker answered within 120s ({how})")

    def demo_request(self) -> tuple[str, str]:
        code = (
            "from django_tenants.utils import schema_context\n"
            "from intake.models import ServiceRequest\n"
            f"with schema_context('t_{TENANT}'):\n"
            "    r = ServiceRequest.objects.order_by('id').first()\n"
            "    print('DEMO', r.tracking_code, r.mobile)\n"
        )
        result = self.python("manage.py", "shell", "-c", code)
        match = re.search(r"^DEMO (\d{16}) (09\d{9})$", result.stdout, re.M)
        if not match:
            raise JobFailed(f"no demo request on {TENANT}: {(result.stdout + result.stderr)[-1500:]}")
        return match.group(1), match.group(2)

    def sms_by_tracking(self) -> None:
        tracking_code, mobile = self.demo_request()
        browser = Browser(self.port, f"{TENANT}.localhost:{self.port}")
        status, page = browser.request("GET", "/track/")
        if status != 200 or "csrftoken" not in browser.cookies:
            raise JobFailed(f"{TENANT}'s tracking page answered {status} with no CSRF cookie")
        status, page = browser.request("POST", "/track/", {"code": tracking_code, "identity": mobile})
        if status != 200 or 'action="/track/code/"' not in page:
            raise JobFailed(f"the tracking look-up of a demo request ({tracking_code}, {mobile}) found nothing (HTTP {status})")
        before = len(self.log())
        status, page = browser.request("POST", "/track/code/", {})
        if status != 200:
            raise JobFailed(f"asking for the one-time code answered HTTP {status}")
        say(f"asked {TENANT}'s tracking page for a one-time code for {mobile}; waiting for the SMS")
        # The web process makes the first attempt itself (someone is waiting for the code);
        # the worker takes over when that fails. Either way the console gateway prints it.
        line = self.wait_for_line(rf"^(web|worker)\s*\|.*SMS to {mobile}: .*کد تایید", before)
        if line is None:
            raise JobFailed(f"the one-time code for {mobile} never reached the console SMS gateway (no \"SMS to {mobile}\" in 90s)")
        say(f"the console SMS gateway logged it: {line[:110]}")
        self.sms_by_worker(mobile)

    def sms_by_worker(self, mobile: str) -> None:
        """An SMS that only the worker sends: one queued in a demo tenant's outbox."""
        text = f"پیامک آزمون CI {os.getpid()}-{int(time.time())}"
        code = (
            "from django.db import transaction\n"
            "from django_tenants.utils import schema_context\n"
            "from notifications.services import sms_queue\n"
            f"with schema_context('t_{TENANT}'), transaction.atomic():\n"
            f"    sms_queue(mobile='{mobile}', text='{text}', purpose='ci')\n"
        )
        before = len(self.log())
        result = self.python("manage.py", "shell", "-c", code)
        if result.returncode:
            raise JobFailed(f"queueing an SMS failed: {(result.stdout + result.stderr)[-1500:]}")
        line = self.wait_for_line(rf"^worker\s*\|.*SMS to {mobile}: {re.escape(text)}", before)
        if line is None:
            raise JobFailed(f"an SMS queued in {TENANT}'s outbox never reached the console gateway through the worker in 90s")
        say(f"the worker sent a queued SMS to the console gateway: {line[:110]}")

    def wait_for_line(self, pattern: str, start: int, seconds: int = 90) -> str | None:
        """The first line of make run's output after `start` that matches."""
        compiled = re.compile(pattern, re.M)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = compiled.search(self.log()[start:])
            if match:
                return match.group(0)
            time.sleep(1)
        return None

    def stop(self) -> None:
        """Ctrl-C, as a user would; then every process of the tree must be gone."""
        tree = tree_of(self.process.pid)
        say(f"pressing Ctrl-C (SIGINT to make's process group; {len(tree) + 1} processes)")
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            raise JobFailed("make run was still running 60s after Ctrl-C")
        deadline = time.monotonic() + 20
        while still_running(tree) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = still_running(tree)
        if left:
            raise JobFailed("after Ctrl-C these processes of make run were still running:\n" + "\n".join(left))
        say(f"make run stopped ({self.process.returncode}); no process of its tree is left")

    def kill_tree(self) -> None:
        if self.process and self.process.poll() is None:
            for signum in (signal.SIGTERM, signal.SIGKILL):
                tree = tree_of(self.process.pid)
                for pid in [self.process.pid, *tree]:
                    try:
                        os.killpg(pid, signum)
                    except OSError:
                        pass
                time.sleep(5)

    def stop_embedded_services(self) -> None:
        """PostgreSQL and Redis are left running by design (the next command reuses them);
        CI stops the clone's own (never one that another checkout started)."""
        if (self.clone / ".data" / "postgres").exists() and (self.clone / ".venv/bin/python").exists():
            result = self.python("-c", "from mizban import embedded; embedded.stop_postgres()")
            if result.returncode:
                say(f"stopping the embedded PostgreSQL failed: {result.stderr[-500:]}")
        pidfile = self.clone / ".data" / "redis" / "redis.pid"
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 30
        while processes_of(self.clone) and time.monotonic() < deadline:
            time.sleep(0.5)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    clone = Path(sys.argv[1]).resolve()
    if (clone.parent / "shared").exists():
        print(f"ci make run: {clone.parent / 'shared'} exists; the job needs a clone with no ../shared beside it")
        return 2
    job = MakeRun(clone, clone.parent / "make-run.log")
    failure = None
    try:
        job.start()
        job.wait_for_healthz()
        job.wait_for_worker()
        job.sms_by_tracking()
        job.stop()
    except (JobFailed, OSError, http.client.HTTPException, subprocess.SubprocessError, ValueError) as error:
        failure = str(error)
    finally:
        job.kill_tree()
        job.stop_embedded_services()
    left = processes_of(clone)
    if failure is None and left:
        failure = "processes of the clone were still running after make run and its embedded services stopped:\n" + "\n".join(left)
    if failure:
        print(f"ci make run: FAILED: {failure}\nci make run: the last lines of make run's output ({job.log_path}):\n{job.tail()}", flush=True)
        return 1
    say("passed: make run served /healthz, the tracking page's code and a queued SMS reached the console gateway, and Ctrl-C left nothing running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
