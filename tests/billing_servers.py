"""The demo's billing as `make run` serves it, for the browser tests: committed trial tenants,
the plans priced as scripts/run_all.py prices them, the local test Stripe
(billing/localstripe_checkout.py) and a gunicorn configured for it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import requests
from django.db import connection
from django_tenants.utils import schema_context

from billing import demo
from billing.models import Plan
from tests.builders import STAFF_PASSWORD
from tests.workers import ROOT, database_url_for, free_port


def _wait_for(url: str, **kwargs) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=15, **kwargs)
            return
        except requests.RequestException:  # not up yet, or its first answer slow (a worker imports the project)
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def local_billing(tenants: dict, django_db_blocker, store_folder, prepare=None):
    """Yields the web server's URL. Each of `tenants` (onboarding specs) is made unless it exists,
    its admin given STAFF_PASSWORD; `prepare()` runs after (in the public schema). Plans are put
    back afterwards."""
    from accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_draft_clean, tenant_onboard

    web_port, stripe_port = free_port(), free_port()
    with django_db_blocker.unblock():
        for spec in tenants.values():
            tenant = Tenant.objects.filter(slug=spec["slug"]).first() or tenant_onboard(draft=tenant_draft_clean(**spec), actor="tests")
            with schema_context(tenant.schema_name):
                admin = User.objects.get(email=spec["admin_email"])
                admin.set_password(STAFF_PASSWORD)
                admin.save()
        if prepare is not None:
            prepare()
        saved_plans = list(Plan.objects.all())
        demo.demo_prices_attach()
        command = demo.local_stripe_command(
            port=stripe_port, webhook_url=f"http://localhost:{web_port}/billing/stripe/webhook/",
            store=store_folder / "store.pickle",
        )
        connection.set_schema_to_public()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        PLATFORM_PORT=str(web_port), **demo.local_stripe_env(port=stripe_port),
    )
    log = open(ROOT / ".data" / f"test-server-{web_port}.log", "w") if (ROOT / ".data").exists() else subprocess.DEVNULL
    stripe_process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    # One worker: the test settings cache host -> tenant per process, and a second process
    # would keep the tenant's status from before the webhook for a minute. A short graceful
    # time-out, as the session's server has: stopping waited out the default 30 s under load.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{web_port}", "--workers", "1", "--timeout", "60",
         "--graceful-timeout", "3"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    try:
        _wait_for(f"http://127.0.0.1:{stripe_port}/v1/plans", auth=(demo.SECRET_KEY, ""))
        _wait_for(f"http://localhost:{web_port}/healthz")
        yield f"http://localhost:{web_port}"
    finally:
        for process in (server, stripe_process):
            process.terminate()
            process.wait(10)
        with django_db_blocker.unblock():
            fields = ["stripe_price_monthly", "stripe_price_yearly", "monthly_amount", "yearly_amount", "currency"]
            Plan.objects.bulk_update(saved_plans, fields)
