"""Provisioning speed: Mizban's way against django-tenants' two stock paths.

    python bench/provision.py --tenants 200

Runs on a throw-away database, with a real Celery worker topping the spare schemas up in the
background as in production (tenants/spares.py). Two measures of Mizban's way:

- `mizban_s_per_tenant` (the JSON line): one onboarding, end to end (tenant row, subdomain,
  schema, theme, first admin, invitation queued on the broker), as a vendor waits for it:
  each of the N onboardings starts once the worker has made the spares back, as it has
  between onboardings in life.
- on stderr, throughput with the spares' making counted: N more onboardings back to back,
  the pool full when the clock starts and the clock stopped only once the worker has made it
  full again, so every schema those tenants took was made inside the measured time.

The stock figures are the schema alone, 3 each. Prints one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from _db import ROOT, drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_provision"
QUEUE = "mizban-bench"  # invitations: a queue no worker reads, purged afterwards
SPARE_QUEUE = "mizban-bench-spares"  # the worker's
STOCK_SAMPLES = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--spares", type=int, help="TENANT_SPARE_SCHEMAS (default: the setting's)")
    parser.add_argument("--parallel", type=int, help="TENANT_SPARE_PARALLEL (default: the setting's)")
    args = parser.parse_args()

    os.environ.update(CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE, TENANT_SPARE_QUEUE=SPARE_QUEUE)
    for name, value in (("TENANT_SPARE_SCHEMAS", args.spares), ("TENANT_SPARE_PARALLEL", args.parallel)):
        if value is not None:
            os.environ[name] = str(value)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    use_fresh_database(DATABASE)
    try:
        from django.conf import settings

        print(json.dumps(run(args.tenants, settings.TENANT_SPARE_SCHEMAS)))
    finally:
        drop_database(DATABASE)


def run(count: int, spares: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from tenants.models import Tenant
    from tenants.provisioning import template_ensure, template_schema_name
    from tenants.services import tenant_draft_clean, tenant_onboard

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template = template_ensure()

    def onboard(index: int) -> None:
        draft = tenant_draft_clean(
            slug=f"bench-{index}", name=f"شهرداری آزمون {index}", kind="municipality", province="tehran",
            admin_email=f"admin{index}@bench.test",
        )
        tenant_onboard(draft=draft, actor="bench")

    with worker() as log:
        pool_wait_full(spares, log, ask=True)  # the worker is up and the pool full
        onboarding_s = 0.0
        for index in range(count):
            pool_wait_full(spares, log)
            started = time.perf_counter()
            onboard(index)
            onboarding_s += time.perf_counter() - started
        mizban_s = onboarding_s / count

        pool_wait_full(spares, log)
        started = time.perf_counter()
        for index in range(count, 2 * count):
            onboard(index)
        pool_wait_full(spares, log)
        back_to_back_s = (time.perf_counter() - started) / count

    def stock(prefix: str) -> float:
        started = time.perf_counter()
        for index in range(STOCK_SAMPLES):
            Tenant(schema_name=f"{prefix}_{index}").create_schema(check_if_exists=False, sync_schema=True, verbosity=0)
            connection.set_schema_to_public()
        return (time.perf_counter() - started) / STOCK_SAMPLES

    migrate_s = stock("stock_migrate")
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=True, TENANT_BASE_SCHEMA=template_schema_name()):
        clone_s = stock("stock_clone")

    queues_purge(QUEUE, SPARE_QUEUE)
    print(
        f"{count} onboardings back to back, the spares' making counted: {back_to_back_s:.3f} s per tenant "
        f"({migrate_s / back_to_back_s:.1f}x migrations, {clone_s / back_to_back_s:.1f}x the stock clone; "
        f"200 tenants in {200 * back_to_back_s:.0f} s)",
        file=sys.stderr,
    )
    return {
        "tenants": count,
        "mizban_s_per_tenant": round(mizban_s, 4),
        "stock_clone_s_per_tenant": round(clone_s, 4),
        "migrate_s_per_tenant": round(migrate_s, 4),
        "ratio_vs_migrate": round(migrate_s / mizban_s, 1),
        "ratio_vs_stock_clone": round(clone_s / mizban_s, 1),
        "tables_per_tenant": template.table_count,
    }


class worker:
    """A Celery worker on the spares' queue, on the bench's database; yields its log's path."""

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(prefix="mizban-bench-worker-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mizban", "worker", "--pool", "solo", "-Q", SPARE_QUEUE, "--loglevel", "WARNING"],
            cwd=ROOT, env=dict(os.environ), stdout=self.log, stderr=self.log,
        )
        return self.log.name

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()
        os.unlink(self.log.name)


def pool_wait_full(spares: int, log: str, *, ask: bool = False, timeout: float = 300) -> None:
    from tenants.models import SpareSchema
    from tenants.spares import spares_refill_soon

    if ask:
        spares_refill_soon()
    deadline = time.monotonic() + timeout
    while SpareSchema.objects.count() < spares:
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not fill the spare schemas:\n" + open(log).read()[-3000:])
        time.sleep(0.05)


if __name__ == "__main__":
    main()
