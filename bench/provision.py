"""Provisioning speed: Mizban's template copy against django-tenants' two stock paths.

    python bench/provision.py --tenants 200

Runs on a throw-away database. Mizban's figure is end to end (tenant row, subdomain, schema,
theme, first admin, invitation queued on the broker); the stock figures are the schema alone.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from _db import drop_database, use_fresh_database

DATABASE = "mizban_bench_provision"
STOCK_SAMPLES = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    args = parser.parse_args()

    # Queue invitations on the real broker (a queue no worker reads; purged afterwards).
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["CELERY_QUEUE"] = "mizban-bench"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    use_fresh_database(DATABASE)
    try:
        print(json.dumps(run(args.tenants)))
    finally:
        drop_database(DATABASE)


def run(count: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from mizban.celery import app as celery_app
    from tenants.models import Tenant
    from tenants.provisioning import template_ensure, template_schema_name
    from tenants.services import tenant_draft_clean, tenant_onboard

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template = template_ensure()

    started = time.perf_counter()
    for index in range(count):
        draft = tenant_draft_clean(
            slug=f"bench-{index}", name=f"شهرداری آزمون {index}", kind="municipality", province="tehran",
            admin_email=f"admin{index}@bench.test",
        )
        tenant_onboard(draft=draft, actor="bench")
    mizban_s = (time.perf_counter() - started) / count

    def stock(prefix: str) -> float:
        started = time.perf_counter()
        for index in range(STOCK_SAMPLES):
            Tenant(schema_name=f"{prefix}_{index}").create_schema(check_if_exists=False, sync_schema=True, verbosity=0)
            connection.set_schema_to_public()
        return (time.perf_counter() - started) / STOCK_SAMPLES

    migrate_s = stock("stock_migrate")
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=True, TENANT_BASE_SCHEMA=template_schema_name()):
        clone_s = stock("stock_clone")

    if celery_app.conf.broker_url.startswith("redis"):
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge("mizban-bench")
    return {
        "tenants": count,
        "mizban_s_per_tenant": round(mizban_s, 4),
        "stock_clone_s_per_tenant": round(clone_s, 4),
        "migrate_s_per_tenant": round(migrate_s, 4),
        "ratio_vs_migrate": round(migrate_s / mizban_s, 1),
        "ratio_vs_stock_clone": round(clone_s / mizban_s, 1),
        "tables_per_tenant": template.table_count,
    }


if __name__ == "__main__":
    main()
