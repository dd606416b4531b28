"""`make run`'s last step (scripts/run_all.py) for real: web, worker and beat against the
session's test database; when one child dies or run_all is told to stop, every process of the
tree is gone (runserver's reloader child and Celery's pool processes too) and the message
names the child and how it ended."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection

from billing.models import Plan
from lib.pgbouncer import pgbouncer_stats
from tests.workers import ROOT, database_url_for, free_port

# web: the autoreloader and its server; worker: main process and its two pool processes; beat
EXPECTED = {"runserver": 2, "worker": 3, "beat": 1}


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, tuple[int, str]]:
    """Every live process below `root`: pid -> (start time, command line)."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) and stat[1] != "Z":
            table[int(entry)] = stat
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _state, started) in table.items():
            if ppid == parent and pid not in found:
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                found[pid] = (started, cmdline)
                frontier.append(pid)
    return found


def _still_running(processes: dict[int, tuple[int, str]]) -> list[str]:
    left = []
    for pid, (started, cmdline) in processes.items():
        stat = _stat(pid)
        if stat and stat[2] == started and stat[1] != "Z":
            left.append(f"{pid}: {cmdline}")
    return left


def _count(processes, word: str) -> int:
    return sum(1 for _started, cmdline in processes.values() if word in cmdline.split())


@pytest.fixture
def run_all(django_db_setup, django_db_blocker, tmp_path, settings):
    """Starts run_all (optionally under a wrapper shell) and waits until the site answers and
    the worker's pool and runserver's reloader child are up; yields (process, tree, output).
    run_all gives the demo plans the local Stripe's prices in the session's database (committed):
    they are put back afterwards, so that billing's tests still find the plans as seeded."""
    if settings.TASKS_IN_PROCESS:
        pytest.skip("no Redis here, so run_all starts no worker or beat")
    with django_db_blocker.unblock():
        plans_before = list(Plan.objects.values())
    started = []

    def start(wrapper: list[str] | None = None, **env_extra):
        port = free_port()
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="mizban.settings_test",
            DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
            PORT=str(port), PLATFORM_PORT=str(port),
            CELERY_QUEUE=f"mizban-test-{uuid.uuid4().hex[:8]}",  # no other test's tasks
            MEDIA_ROOT=str(tmp_path / "media"),  # beat's schedule file goes beside it
            LOCAL_STRIPE_PORT=str(free_port()),  # the local test Stripe, when it starts one
            **env_extra,
        )
        output = tmp_path / "run_all.log"
        command = [sys.executable, "scripts/run_all.py"]
        if wrapper:
            command = wrapper + [" ".join(command) + "; true"]  # `; true`: the shell does not exec
        with open(output, "w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        deadline = time.monotonic() + 120
        tree = {}
        while time.monotonic() < deadline:
            assert process.poll() is None, output.read_text()
            tree = _descendants(process.pid)
            if all(_count(tree, word) >= n for word, n in EXPECTED.items()):
                try:
                    if requests.get(f"http://localhost:{port}/healthz", timeout=5).status_code in (200, 503):
                        return process, _descendants(process.pid), output
                except requests.RequestException:
                    pass
            time.sleep(0.5)
        pytest.fail(f"run_all did not come up: {tree}\n{output.read_text()}")

    yield start
    for process in started:  # a failed test must not leave the tree behind either
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    with django_db_blocker.unblock():
        for plan in plans_before:
            Plan.objects.filter(pk=plan["id"]).update(**plan)


def _stopping(text: str, why: str) -> set[str]:
    """The children named in run_all's message "mizban: <why>; stopping a, b, c."."""
    match = re.search(rf"^mizban: {re.escape(why)}; stopping (.+)\.$", text, re.M)
    assert match, text
    return set(match.group(1).split(", "))


def _pid_of(tree, word: str) -> int:
    """The first-started process whose command line has `word` (a group's leader)."""
    return min((started, pid) for pid, (started, cmdline) in tree.items() if word in cmdline.split())[1]


def test_a_worker_that_dies_stops_everything_and_is_named(run_all):
    process, tree, output = run_all()
    os.kill(_pid_of(tree, "worker"), signal.SIGKILL)

    assert process.wait(60) == 1
    text = output.read_text()
    assert {"web", "beat"} <= _stopping(text, "worker stopped (killed by signal SIGKILL)")
    assert "mizban: the last lines of worker:\n" in text  # then what it printed, indented
    assert _still_running(tree) == []


def test_the_web_server_dying_stops_the_worker_and_beat(run_all):
    process, tree, output = run_all()
    os.kill(_pid_of(tree, "runserver"), signal.SIGTERM)

    assert process.wait(60) == 1
    assert {"worker", "beat"} <= _stopping(output.read_text(), "web stopped (exit code 0)")
    assert _still_running(tree) == []


def test_sigterm_to_run_all_stops_every_process(run_all):
    process, tree, output = run_all()
    process.send_signal(signal.SIGTERM)

    assert process.wait(60) == 0
    assert {"web", "worker", "beat"} <= _stopping(output.read_text(), "received SIGTERM")
    assert _still_running(tree) == []


def test_run_all_stops_everything_when_its_parent_dies(run_all):
    shell, tree, output = run_all(wrapper=["sh", "-c"])
    run_all_pid = _pid_of(tree, "scripts/run_all.py")
    shell.kill()
    shell.wait(10)

    deadline = time.monotonic() + 60
    while _still_running(tree) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _still_running(tree) == [], output.read_text()
    assert run_all_pid in tree
    assert {"web", "worker", "beat"} <= _stopping(output.read_text(), "its parent process ended")


def test_pgbouncer_setting_puts_web_worker_and_beat_behind_a_pooler_that_stops_with_them(run_all):
    pooler_port = free_port()
    process, tree, output = run_all(PGBOUNCER="1", PGBOUNCER_PORT=str(pooler_port))
    assert f"mizban: PostgreSQL through PgBouncer (session pooling) on 127.0.0.1:{pooler_port}" in output.read_text()
    pooler = [pid for pid, (_started, cmdline) in tree.items() if "pgbouncer" in cmdline]
    assert pooler, tree
    # The site's database work went through it (run_all was up once /healthz answered):
    # PgBouncer's admin console counts the queries it passed on to the test database.
    user = urlsplit(os.environ["DATABASE_URL"]).username or "postgres"
    stats = pgbouncer_stats(f"postgres://{user}@127.0.0.1:{pooler_port}/pgbouncer")
    assert stats[connection.settings_dict["NAME"]]["total_query_count"] > 0
    process.send_signal(signal.SIGTERM)

    assert process.wait(60) == 0
    assert _still_running(tree) == []
