"""The platform on the local Citus cluster against one PostgreSQL, in one run.

    python bench/citus.py --tenants 300 [--nospare 20] [--lookups 1500] [--move-requests 1000] [--keep]

Brings the cluster of scripts/citus.py up when it is not running (building Citus the first
time), then, each in a child process of this script (Django is configured once per process):

1. **citus**: a throw-away database on the coordinator (every node; schema-based sharding on),
   `--tenants` tenants onboarded by `tenant_onboard`: the first `--nospare` with no spare ready
   (each copies the template itself: `onboard_nospare_s_per_tenant`), the rest as in
   production, a spare ready for each (made beforehand by `spares_refill`, as the worker does
   between onboardings; only the onboarding is timed: `onboard_s_per_tenant`). Each tenant
   gets the demo building-permit card and one request submitted through the wizard's services.
2. **plain**: the same tenants, card and requests on a throw-away database of `DATABASE_URL`
   (one PostgreSQL; spares off, not timed).
3. Look-ups: gunicorn (2 workers) on each database, `--lookups` tracking look-ups over HTTP to
   each (8 threads), every tenant's code in turn in a shuffled order, as `bench/intake.py`
   does; the two servers are driven in alternating slices so the machine's load weighs on both
   alike: `lookups_per_s`, `lookup_p95_ms` (Citus), `single_node_lookups_per_s`.
4. **move**: one tenant gets `--move-requests` requests, then is moved to the other worker
   (`citus_schema_move`, logical replication; the tenant's submits wait for it:
   tenants.cluster.tenant_writes_guard) while a thread submits requests to
   it: `move_s`, `write_pause_ms` (the longest submit during the move), `lost` (submitted
   during the move and not found after).

Prints one JSON line with exactly: tenants, nodes, onboard_s_per_tenant,
onboard_nospare_s_per_tenant, lookups_per_s, lookup_p95_ms, single_node_lookups_per_s,
move_s, write_pause_ms, lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

from _citizen import MOBILE, NATIONAL_CODE, call, free_port, gunicorn_start
from _db import ROOT

CITUS_DB = "mizban_bench_citus"
PLAIN_DB = "mizban_bench_citus_plain"
SLUG = "cb"
MOVE_SLUG = "cbmove"


def log(message: str) -> None:
    print(f"bench/citus: {message}", file=sys.stderr, flush=True)


# --- The parent: the cluster, the children, the look-ups ---------------------------------------


def cluster_url(database: str) -> str:
    url = subprocess.run([sys.executable, str(ROOT / "scripts" / "citus.py"), "url", "--database", database],
                         check=True, capture_output=True, text=True).stdout.strip()
    return url


def cluster_ensure() -> None:
    script = [sys.executable, str(ROOT / "scripts" / "citus.py")]
    if subprocess.run([*script, "status", "-q"]).returncode != 0:
        log("the Citus cluster is not running: scripts/citus.py up")
        subprocess.run([*script, "up"], check=True, stdout=sys.stderr)


def child(kind: str, url: str, args, citus: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_CITUS": "1" if citus else "0",
           "DJANGO_SETTINGS_MODULE": "mizban.settings", "LOG_LEVEL": "ERROR", "CELERY_TASK_ALWAYS_EAGER": "1"}
    command = [sys.executable, __file__, "--child", kind, "--tenants", str(args.tenants), "--nospare", str(args.nospare),
               "--move-requests", str(args.move_requests)]
    out = subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def server(url: str, citus: bool):
    port = free_port()
    env = dict(
        DJANGO_ENV="development", DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="mizban.settings", PLATFORM_PORT=str(port),
        DATABASE_URL=url, DATABASE_CITUS="1" if citus else "0", INTAKE_TRACK_LIMIT_PER_IP=str(10**9),
        INTAKE_TRACK_LIMIT_PER_CODE=str(10**9), DATABASE_CONN_MAX_AGE="60", LOG_LEVEL="ERROR",
    )
    return port, gunicorn_start(port, env, ["--workers", "2", "--backlog", "512", "--timeout", "60", "--log-level", "warning"])


def lookups(port: int, queries: list[tuple[str, str, str]], pool: ThreadPoolExecutor) -> tuple[float, list[float], int]:
    def one(query):
        slug, code, identity = query
        headers = {"Host": f"{slug}.localhost:{port}", "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            status, _ = call("127.0.0.1", port, "POST", "/api/requests/track/", headers,
                             json.dumps({"code": code, "identity": identity}).encode())
        except OSError:
            status = 0
        return status == 200, time.perf_counter() - started

    started = time.perf_counter()
    results = list(pool.map(one, queries))
    return time.perf_counter() - started, [t for _, t in results], sum(1 for ok, _ in results if not ok)


def drive_lookups(citus_codes, plain_codes, citus_url, plain_url, total: int) -> dict:
    (citus_port, citus_server), (plain_port, plain_server) = server(citus_url, True), server(plain_url, False)
    try:
        def queries(codes):
            q = [(slug, code, (NATIONAL_CODE, MOBILE)[i % 2]) for i, (slug, code) in
                 enumerate(codes[i % len(codes)] for i in range(total))]
            random.Random(7).shuffle(q)
            return q

        cq, pq = queries(citus_codes), queries(plain_codes)
        timings = {"citus": [0.0, [], 0], "plain": [0.0, [], 0]}
        slices = 10
        with ThreadPoolExecutor(8) as pool:
            lookups(citus_port, cq[:40], pool)  # warm-up: imports, connections, host maps
            lookups(plain_port, pq[:40], pool)
            step = max(1, total // slices)
            for start in range(0, total, step):
                for name, port, q in (("citus", citus_port, cq), ("plain", plain_port, pq)):
                    seconds, samples, errors = lookups(port, q[start:start + step], pool)
                    timings[name][0] += seconds
                    timings[name][1] += samples
                    timings[name][2] += errors
        if timings["citus"][2] or timings["plain"][2]:
            log(f"look-up errors: citus {timings['citus'][2]}, plain {timings['plain'][2]}")
        p95 = statistics.quantiles(timings["citus"][1], n=100)[94] * 1000
        return {
            "lookups_per_s": round(len(timings["citus"][1]) / timings["citus"][0], 1),
            "lookup_p95_ms": round(p95, 1),
            "single_node_lookups_per_s": round(len(timings["plain"][1]) / timings["plain"][0], 1),
            "lookup_errors": timings["citus"][2] + timings["plain"][2],
        }
    finally:
        for process in (citus_server, plain_server):
            process.terminate()
            process.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--nospare", type=int, default=20, help="of --tenants, onboarded with no spare ready")
    parser.add_argument("--lookups", type=int, default=1500)
    parser.add_argument("--move-requests", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    parser.add_argument("--child", choices=["citus", "plain", "move", "drop"])
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps(CHILDREN[args.child](args)), flush=True)
        return

    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench/citus.py: DATABASE_URL (the single PostgreSQL to compare with) is needed")
    cluster_ensure()
    citus_url = cluster_url(CITUS_DB)
    parts = urlsplit(os.environ["DATABASE_URL"])
    plain_url = urlunsplit(parts._replace(path="/" + PLAIN_DB))
    try:
        log(f"{args.tenants} tenants on Citus ({citus_url})")
        built = child("citus", citus_url, args, True)
        log(f"the same on one PostgreSQL ({plain_url})")
        plain = child("plain", plain_url, args, False)
        log(f"{args.lookups} look-ups on each")
        figures = drive_lookups(built["codes"], plain["codes"], citus_url, plain_url, args.lookups)
        log("the move")
        moved = child("move", citus_url, args, True)
    finally:
        if not args.keep:
            child("drop", citus_url, args, True)
            child("drop", plain_url, args, False)
    result = {
        "tenants": args.tenants, "nodes": built["nodes"],
        "onboard_s_per_tenant": built["onboard_s_per_tenant"],
        "onboard_nospare_s_per_tenant": built["onboard_nospare_s_per_tenant"],
        "lookups_per_s": figures["lookups_per_s"], "lookup_p95_ms": figures["lookup_p95_ms"],
        "single_node_lookups_per_s": figures["single_node_lookups_per_s"],
        "move_s": moved["move_s"], "write_pause_ms": moved["write_pause_ms"], "lost": moved["lost"],
    }
    log(f"look-up errors {figures['lookup_errors']}; submits during the move {moved['during']}; "
        f"nodes of the tenants {built['spread']}")
    print(json.dumps(result))


# --- The children (Django set up on one database each) ------------------------------------------


def _fresh_database() -> None:
    """The child's database, new: on every node of the cluster, or on the one PostgreSQL."""
    import psycopg
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    url = os.environ["DATABASE_URL"]
    if settings.DATABASE_CITUS:
        from lib.citus import database_create

        database_create(url, drop=True)
        return
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')


def _one_card() -> None:
    """The demo building-permit card only (the bench needs one published card per tenant)."""
    import catalog.demo

    catalog.demo.MUNICIPAL_CARDS = catalog.demo.MUNICIPAL_CARDS[:1]


def _applicant() -> dict:
    return {"applicant_kind": "natural", "national_code": NATIONAL_CODE, "first_name": "مریم", "last_name": "احمدی",
            "mobile": MOBILE, "landline": "02188776655", "email": "maryam@example.com", "address": "تهران، خیابان آزادی"}


def _requests_submit(schema: str, count: int) -> list[str]:
    from django_tenants.utils import schema_context

    from catalog.models import Service
    from intake.citizen.services import draft_save_step, draft_start, request_submit

    codes = []
    with schema_context(schema):
        service = Service.objects.get(national_id="10901010100")
        for _ in range(count):
            draft = draft_start(service=service)
            draft_save_step(draft=draft, step="details", values={"text": "درخواست آزمون"})
            draft_save_step(draft=draft, step="applicant", values=_applicant())
            codes.append(request_submit(token=draft.token).tracking_code)
    return codes


def _tenants_build(args, *, timed: bool) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from billing.models import BillingAccount, Plan
    from catalog.demo import catalog_demo_build, registry_demo_load
    from tenants import cluster
    from tenants.services import tenant_draft_clean, tenant_onboard
    from tenants.provisioning import template_ensure
    from tenants.spares import spares_refill

    _fresh_database()
    _one_card()
    settings.TENANT_SPARE_SCHEMAS = 0  # no refill after each onboarding: the bench makes them
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    registry_demo_load()

    def onboard(index: int):
        slug = f"{SLUG}{index}"
        return tenant_onboard(draft=tenant_draft_clean(
            slug=slug, name=f"شهرداری آزمون {index + 1}", kind="municipality", province="tehran",
            admin_email=f"admin@{slug}.test"), actor="bench")

    template_ensure()  # built once from the migrations, before any onboarding is timed
    nospare = min(args.nospare, args.tenants) if timed else args.tenants
    tenants, started = [], time.perf_counter()
    for index in range(nospare):
        tenants.append(onboard(index))
    nospare_s = (time.perf_counter() - started) / max(nospare, 1)
    spare_s = None
    if timed and args.tenants > nospare:
        settings.TENANT_SPARE_WAIT_SECONDS = 0
        onboarded, spent, batch = nospare, 0.0, 8
        while onboarded < args.tenants:
            count = min(batch, args.tenants - onboarded)
            spares_refill(target=count, parallel=min(4, count))  # the worker's part (several at once), not timed
            started = time.perf_counter()
            for index in range(onboarded, onboarded + count):
                tenants.append(onboard(index))
            spent += time.perf_counter() - started
            onboarded += count
            log(f"{onboarded} tenants onboarded; with a spare so far {spent / (onboarded - nospare):.3f} s each, "
                f"without {nospare_s:.2f} s; load average {os.getloadavg()[0]:.1f}")
        spare_s = spent / (args.tenants - nospare)
    codes = []
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            catalog_demo_build(kind="municipality")
        codes += [(tenant.slug, code) for code in _requests_submit(tenant.schema_name, 1)]
    BillingAccount.objects.filter(tenant__in=tenants).update(plan=Plan.objects.get(code="plus"))
    nodes = cluster.tenant_nodes()
    spread: dict[str, int] = {}
    for tenant in tenants:
        spread[nodes.get(tenant.schema_name, "coordinator")] = spread.get(nodes.get(tenant.schema_name, "coordinator"), 0) + 1
    return {
        "codes": codes, "nodes": len(cluster.cluster_workers()) + 1 if settings.DATABASE_CITUS else 1, "spread": spread,
        "onboard_s_per_tenant": round(spare_s, 3) if spare_s is not None else None,
        "onboard_nospare_s_per_tenant": round(nospare_s, 3),
    }


def child_citus(args) -> dict:
    return _tenants_build(args, timed=True)


def child_plain(args) -> dict:
    return _tenants_build(args, timed=False)


def child_move(args) -> dict:
    """A tenant with --move-requests requests moved to the other worker while a thread submits."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from billing.models import BillingAccount, Plan
    from catalog.demo import catalog_demo_build
    from intake.models import ServiceRequest
    from tenants import cluster
    from tenants.services import tenant_draft_clean, tenant_onboard

    _one_card()
    tenant = tenant_onboard(draft=tenant_draft_clean(
        slug=MOVE_SLUG, name="شهرداری جابه‌جایی", kind="municipality", province="tehran",
        admin_email="admin@cbmove.test"), actor="bench")
    with schema_context(tenant.schema_name):
        catalog_demo_build(kind="municipality")
    # A trial's monthly cap is below 1,000 requests: the moved tenant pays, as the others do.
    BillingAccount.objects.filter(tenant=tenant).update(plan=Plan.objects.get(code="plus"))
    _requests_submit(tenant.schema_name, args.move_requests)
    source = cluster.tenant_nodes()[tenant.schema_name]
    target = next(w for w in cluster.cluster_workers() if w != source)
    moving, submitting, done, during = threading.Event(), threading.Event(), threading.Event(), []

    def citizen():
        try:
            while not done.is_set():
                started = time.perf_counter()
                code = _requests_submit(tenant.schema_name, 1)[0]
                if moving.is_set():
                    during.append((code, time.perf_counter() - started))
                submitting.set()
        finally:
            submitting.set()
            connection.close()

    thread = threading.Thread(target=citizen)
    thread.start()
    submitting.wait(60)  # the citizen is submitting before the move starts
    moving.set()
    move_s = cluster.tenant_move(tenant=tenant, node=target, actor="bench")
    done.set()
    thread.join(120)
    assert cluster.tenant_nodes()[tenant.schema_name] == target
    codes = [code for code, _ in during]
    with schema_context(tenant.schema_name):
        found = set(ServiceRequest.objects.filter(tracking_code__in=codes).values_list("tracking_code", flat=True))
    return {"move_s": round(move_s, 2), "write_pause_ms": round(max((t for _, t in during), default=0) * 1000, 1),
            "lost": len(set(codes) - found), "during": len(codes)}


def child_drop(args) -> dict:
    import psycopg
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    url = os.environ["DATABASE_URL"]
    if settings.DATABASE_CITUS:
        from lib.citus import database_drop

        database_drop(url)
    else:
        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    return {}


CHILDREN = {"citus": child_citus, "plain": child_plain, "move": child_move, "drop": child_drop}


if __name__ == "__main__":
    main()
