"""`make run`'s last step: web, Celery worker and beat together; one Ctrl-C stops all three.

Settings start the embedded PostgreSQL and Redis when DATABASE_URL/REDIS_URL are unset, and
export their URLs, so the children below share them.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

python = sys.executable
port = os.environ.get("PORT", "8000")
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

children = {name: subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy()) for name, cmd in commands.items()}


def stop(*_):
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    sys.exit(0)


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
while True:
    for name, child in children.items():
        if child.poll() is not None:
            print(f"mizban: {name} stopped (exit {child.returncode}); stopping the rest.")
            stop()
    time.sleep(1)
