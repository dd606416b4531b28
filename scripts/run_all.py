"""`make run`'s last step: web, Celery worker and beat together, all up or all down.

Settings start the embedded PostgreSQL and Redis when DATABASE_URL/REDIS_URL are unset, and
export their URLs, so the children below share them.

Each child runs in its own session (so its own process group): runserver's autoreloader
child and Celery's pool processes are in their leader's group, and stopping a child means
signalling its whole group. One Ctrl-C, a SIGTERM or SIGHUP to this script, its parent going
away or any child ending stops every child; when a child ended on its own, the message names
it, says how it ended and repeats the last lines it printed, and the exit code is 1.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

TAIL_LINES = 20
GRACE_SECONDS = 10  # after Ctrl-C (SIGINT) to a group, before SIGTERM; then SIGKILL

python = sys.executable
port = os.environ.get("PORT", "8000")
# One entry per child: name -> command line. The name prefixes its output and its messages.
commands = {"web": [python, "manage.py", "runserver", f"0.0.0.0:{port}"]}
if settings.TASKS_IN_PROCESS:
    print("mizban: no Redis could be started; background tasks run in-process, inside the web server.")
else:
    celery = [python, "-m", "celery", "-A", "mizban"]
    commands["worker"] = celery + ["worker", "--loglevel=INFO", "--concurrency=2"]
    beat_schedule = Path(settings.MEDIA_ROOT).parent / "celerybeat-schedule"
    commands["beat"] = celery + ["beat", "--loglevel=INFO", f"--schedule={beat_schedule}"]
    print(f"mizban: Celery worker and beat on {settings.REDIS_URL}")
print(f"mizban: PostgreSQL {'embedded under .data/postgres' if settings.EMBEDDED_POSTGRES else 'from DATABASE_URL'}")

# --- PgBouncer in front of PostgreSQL (PGBOUNCER=1; README, "Pooling"): session pooling only.
pooler = None
if settings.PGBOUNCER:
    from lib.pgbouncer import PgBouncer  # noqa: E402

    pooler = PgBouncer(os.environ["DATABASE_URL"], port=settings.PGBOUNCER_PORT, pool_mode="session").start()
    # web, worker and beat inherit these: every connection they open goes through the pooler.
    os.environ.update(DATABASE_URL=pooler.url(), DATABASE_POOL_MODE="session")
    print(f"mizban: PostgreSQL through PgBouncer (session pooling) on 127.0.0.1:{settings.PGBOUNCER_PORT}")

# --- Local test Stripe (billing/demo.py): only without STRIPE_SECRET_KEY, never in production.
from billing import demo as billing_demo  # noqa: E402

if billing_demo.local_stripe_wanted():
    stripe_port = int(os.environ.get("LOCAL_STRIPE_PORT", billing_demo.DEFAULT_PORT))
    commands["stripe"] = billing_demo.local_stripe_command(
        port=stripe_port, webhook_url=f"http://{settings.PLATFORM_DOMAIN}:{port}/billing/stripe/webhook/",
        store=Path(settings.MEDIA_ROOT).parent / "localstripe.pickle",
    )
    os.environ.update(billing_demo.local_stripe_env(port=stripe_port))  # web, worker and beat inherit it
    billing_demo.demo_prices_attach()
    if not settings.TASKS_IN_PROCESS:
        billing_demo.waiting_steps_queue()
    print(f"mizban: billing uses a local test Stripe (localstripe) on http://127.0.0.1:{stripe_port}; no real payment")
# --- end of the local test Stripe.


class Child:
    """One command in its own process group, its output copied to ours with a name prefix."""

    output_lock = threading.Lock()

    def __init__(self, name: str, command: list[str]):
        self.name = name
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True, text=True, errors="replace",
        )
        self.pgid = self.process.pid  # a session leader leads its process group
        threading.Thread(target=self._copy_output, daemon=True).start()

    def _copy_output(self):
        width = max(map(len, commands))
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.tail.append(line)
            with self.output_lock:
                print(f"{self.name:<{width}} | {line}", flush=True)

    def how_it_ended(self) -> str:
        code = self.process.returncode
        if code is not None and code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def group_alive(self) -> bool:
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.pgid, signum)
        except ProcessLookupError:
            pass


def say(*lines: str) -> None:
    """run_all's own lines, on stderr, whole: under the children's output lock, so that none is
    cut into the middle of a child's line when both streams go to one terminal or file."""
    with Child.output_lock:
        for line in lines:
            print(line, file=sys.stderr, flush=True)


def stop_all(children: list[Child]) -> None:
    """Ctrl-C to every group (what a terminal would send), then SIGTERM, then SIGKILL, until
    no process of any group is left."""
    for signum, wait in ((signal.SIGINT, GRACE_SECONDS), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        alive = [child for child in children if child.group_alive()]
        if not alive:
            return
        for child in alive:
            child.signal_group(signum)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            for child in children:
                child.process.poll()  # reap the leader so that its group can empty
            if not any(child.group_alive() for child in children):
                return
            time.sleep(0.1)
    left = [child.name for child in children if child.group_alive()]
    say(f"mizban: could not stop {', '.join(left)}")


class StopRequest(Exception):
    pass


def _on_signal(signum, _frame):
    raise StopRequest(f"received {signal.Signals(signum).name}")


def main() -> int:
    parent = os.getppid()
    children: list[Child] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    try:
        for name, command in commands.items():
            children.append(Child(name, command))
        while True:
            ended = next((child for child in children if child.process.poll() is not None), None)
            if ended:
                others = [child.name for child in children if child is not ended]
                say(f"mizban: {ended.name} stopped ({ended.how_it_ended()}); stopping "
                    f"{', '.join(others) or 'nothing else'}.")
                time.sleep(0.2)  # let its last lines through the copying thread
                if ended.tail:
                    say(f"mizban: the last lines of {ended.name}:", *(f"    {line}" for line in ended.tail))
                stop_all(children)
                return 1
            if os.getppid() != parent:
                raise StopRequest("its parent process ended")
            time.sleep(0.5)
    except StopRequest as reason:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        say(f"mizban: {reason}; stopping {', '.join(child.name for child in children)}.")
        stop_all(children)
        return 0
    finally:
        stop_all(children)
        if pooler is not None:
            pooler.stop()


if __name__ == "__main__":
    sys.exit(main())
