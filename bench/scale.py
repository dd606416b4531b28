"""A thousand tenants on one PostgreSQL (issue 14): migrations, size, requests, pooling.

    python bench/scale.py --tenants 1000

On a throw-away database, with tenants made by the product's own onboarding
(`tenant_onboard`; spare schemas off, so each tenant is a real copy of the template). Prints one
JSON line:

- `relations_per_tenant`, `mb_per_empty_tenant`: what the N - 3 empty tenants added (pg_class
  rows, `pg_database_size`), per tenant: the full database against its copy made at 3 tenants,
  before any request to them;
- `noop_migrate_s`: `migrate_tenants` (public schema, template, every tenant) with nothing to do;
- `stock_noop_migrate_s`: django-tenants' `migrate_schemas` on the same tenants, stopped after
  `--stock-timeout` (900 s; then the figure is the string "timeout after 900 s");
- `additive_migrate_s`: `migrate_tenants` applying a migration that adds a nullable column and
  an index to the request table (intake's `ServiceRequest`), from a temporary migration module
  (`MIGRATION_MODULES`: a copy of intake's migrations plus that one), removed afterwards;
- `page_ms_3`, `page_ms_n`: the median of `--requests` (200) service-list pages and as many
  tracking look-ups (API) of one tenant over HTTP (gunicorn), with 3 and with N tenants: the
  database is copied when it has 3 tenants, and the copy and the full one are each served by
  their own gunicorn and asked in turns, so that the machine's other work weighs on both alike;
- `statements_per_request`: the statements the tenancy adds to those two requests (the host
  look-up and `search_path`), the most of either, counted in-process beside the view's own;
- `pooled_errors`: 50 concurrent clients over 20 tenants through PgBouncer (lib/pgbouncer.py,
  session mode, 4 server connections) against gunicorn; an error is an answer that is not 200,
  lacks its tenant's marker or shows another tenant's.

`--keep` leaves the databases, `--reuse` measures again on them, `--only pooled,noop` takes
some of the figures only. The commands are timed in a forked child of this process (no interpreter start-up counted,
for either). Servers listen on free ports from BENCH_PORTS (21300-21399 by default).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _db import ROOT, drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_scale"  # and the number of tenants: two runs may go on at once
SMALL = "_3"  # the suffix of a copy made when the big one had 3 tenants
QUEUE = "mizban-bench-scale"  # invitations: a queue no worker reads, purged afterwards
PAGE_TENANT = "bench-0"
POOLED_TENANTS, POOLED_CLIENTS, POOLED_REQUESTS_PER_CLIENT = 20, 50, 6
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--jobs", type=int, help="migrate_tenants --jobs (default: the setting)")
    parser.add_argument("--stock-timeout", type=float, default=900.0)
    parser.add_argument("--reuse", action="store_true",
                        help="measure on the databases a --keep run left (its N tenants and its copy at 3)")
    parser.add_argument("--keep", action="store_true", help="leave the databases for a --reuse run")
    parser.add_argument("--only", help=f"some of {','.join(MEASURES)} (the JSON line then has only their keys)")
    args = parser.parse_args()
    if args.tenants < POOLED_TENANTS:
        parser.error(f"--tenants must be at least {POOLED_TENANTS} (the pooled run uses {POOLED_TENANTS})")

    # Spares off (each tenant a real copy); one address and one code make every look-up here.
    os.environ.update(CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE, TENANT_SPARE_SCHEMAS="0",
                      INTAKE_TRACK_LIMIT_PER_IP=str(10**9), INTAKE_TRACK_LIMIT_PER_CODE=str(10**9))
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    media = tempfile.mkdtemp(prefix="mizban-bench-scale-")
    os.environ["MEDIA_ROOT"] = media
    global DATABASE, SMALL
    DATABASE = f"{DATABASE}_{args.tenants}"
    SMALL = DATABASE + SMALL
    if args.reuse:
        database_use(DATABASE)
    else:
        use_fresh_database(DATABASE)
    try:
        print(json.dumps(run(args)), flush=True)
    finally:
        queues_purge(QUEUE)
        if args.keep:
            say(f"kept the databases {DATABASE} and {SMALL}")
        else:
            drop_database(SMALL)
            drop_database(DATABASE)
        shutil.rmtree(media, ignore_errors=True)


def say(text: str) -> None:
    print(f"scale: {text}", file=sys.stderr, flush=True)


MEASURES = ("statements", "size", "pages", "noop", "stock", "additive", "pooled")


def run(args) -> dict:
    from django.core.management import call_command

    from catalog.demo import registry_demo_load

    if not args.reuse:
        call_command("migrate_tenants", stdout=open(os.devnull, "w"))
        registry_demo_load()
        onboard(range(3))
        page_tenant_prepare()
        database_copy(SMALL)  # the database as it is with 3 tenants, served beside the big one
        onboard(range(3, args.tenants))
    measures = args.only.split(",") if args.only else MEASURES
    page_request = page_request_read()
    figures: dict = {"tenants": args.tenants}
    if "size" in measures:
        # The full database against its copy at 3 tenants: what N - 3 empty tenants added.
        small, big = database_figures(SMALL), database_figures(DATABASE)
        empty = args.tenants - 3
        figures["relations_per_tenant"] = round((big[0] - small[0]) / empty, 1)
        figures["mb_per_empty_tenant"] = round((big[1] - small[1]) / empty / 2**20, 3)
    if "noop" in measures:
        figures["noop_migrate_s"] = timed_child(_migrate_tenants, (args.jobs, None), timeout=None)
    if "stock" in measures:
        figures["stock_noop_migrate_s"] = timed_child(_migrate_schemas, (), timeout=args.stock_timeout)
    if "additive" in measures:
        figures["additive_migrate_s"] = additive_migrate_s(args.jobs, args.tenants)
    if "pages" in measures:
        figures["page_ms_3"], figures["page_ms_n"] = pages_median_ms(page_request, args.requests)
    if "statements" in measures:
        figures["statements_per_request"] = statements_per_request(page_request)
    if "pooled" in measures:
        figures["pooled_errors"] = pooled_errors()
    say(json.dumps(figures))
    return figures


# --- Tenants and figures ----------------------------------------------------------------------


def onboard(indexes) -> None:
    from tenants.services import tenant_draft_clean, tenant_onboard

    indexes = list(indexes)
    started = last = time.monotonic()
    for done, index in enumerate(indexes, 1):
        tenant_onboard(draft=tenant_draft_clean(
            slug=f"bench-{index}", name=f"شهرداری آزمون مقیاس {index}", kind="municipality", province="tehran",
            admin_email=f"admin{index}@bench.test"), actor="bench")
        if time.monotonic() - last > 10:
            last = time.monotonic()
            say(f"onboarded {done}/{len(indexes)} ({done / (last - started):.1f}/s)")


def database_use(name: str) -> None:
    """Point DATABASE_URL at the existing database `name`, then set Django up on it."""
    if not os.environ.get("DATABASE_URL"):
        from mizban.embedded import start_postgres

        os.environ["DATABASE_URL"] = start_postgres()
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")
    import django

    django.setup()


def database_figures(name: str) -> tuple[int, int]:
    """Relations (pg_class rows, TOAST included) and bytes of the database `name`."""
    import psycopg

    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(scheme="postgresql", path="/" + name))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        return conn.execute("SELECT (SELECT count(*) FROM pg_class), pg_database_size(current_database())").fetchone()


def page_tenant_prepare() -> None:
    """The demo catalogue and five requests in the page tenant."""
    from catalog.demo import catalog_demo_for_tenant
    from intake.demo import intake_demo_for_tenant
    from tenants.models import Tenant

    tenant = Tenant.objects.get(slug=PAGE_TENANT)
    catalog_demo_for_tenant(tenant=tenant, spec={})
    intake_demo_for_tenant(tenant=tenant, spec={})


def page_request_read() -> dict:
    """The page tenant's host and a tracking look-up of its first request."""
    from django_tenants.utils import schema_context

    from intake.models import ServiceRequest
    from tenants.models import Tenant

    tenant = Tenant.objects.get(slug=PAGE_TENANT)
    with schema_context(tenant.schema_name):
        request = ServiceRequest.objects.order_by("id").first()
    return {"host": tenant.subdomain, "track": {"code": request.tracking_code, "identity": request.national_code}}


# --- Pages over HTTP ------------------------------------------------------------------------


_HANDED_OUT: set[int] = set()  # a server may not have bound its port yet when the next is asked for


def free_port() -> int:
    low, high = (int(p) for p in os.environ.get("BENCH_PORTS", "21300-21399").split("-"))
    for port in range(low, high + 1):
        if port in _HANDED_OUT:
            continue
        _HANDED_OUT.add(port)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


def call(port: int, method: str, path: str, host: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": f"{host}:{port}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextmanager
def gunicorn(database_url: str | None = None, *, threads: int = 1, **env_extra):
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development", DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="mizban.settings", PLATFORM_PORT=str(port),
        DATABASE_CONN_MAX_AGE="60", LOG_LEVEL="ERROR",
    )
    env.update(env_extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--timeout", "60", "--graceful-timeout", "3", "--log-level", "warning"]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped")
            try:
                if call(port, "GET", "/healthz", "localhost")[0] in (200, 503):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def database_copy(name: str) -> None:
    """A copy of the bench database as it is now (CREATE DATABASE … TEMPLATE)."""
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{DATABASE}"')


def pages_median_ms(page: dict, count: int) -> tuple[float, float]:
    """The medians of `count` service-list pages and `count` tracking look-ups on the copy
    with 3 tenants and on the database with N, one request at a time, taken in turns so that
    the machine's other work weighs on both alike."""
    body = json.dumps(page["track"]).encode()
    small_url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + SMALL))
    with gunicorn(small_url) as small, gunicorn() as big:
        def one(port: int, kind: str) -> float:
            started = time.perf_counter()
            status, _ = (call(port, "GET", "/services/", page["host"]) if kind == "list"
                         else call(port, "POST", "/api/requests/track/", page["host"], body))
            elapsed = time.perf_counter() - started
            if status != 200:
                raise RuntimeError(f"{kind} answered {status}")
            return elapsed

        for _ in range(WARM_UP):
            for port in (small, big):
                one(port, "list"), one(port, "track")
        times = {small: [], big: []}
        for index in range(count):
            for kind in ("list", "track"):
                for port in ((small, big) if index % 2 else (big, small)):
                    times[port].append(one(port, kind))
    return round(statistics.median(times[small]) * 1000, 2), round(statistics.median(times[big]) * 1000, 2)


def statements_per_request(page: dict) -> int:
    """The statements the tenancy adds to a request (host to tenant, search_path), beside the
    view's own; the most of the two pages, each once warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=page["host"], REMOTE_ADDR="10.1.2.3")
    body = json.dumps(page["track"])

    def request(kind: str):
        if kind == "list":
            return client.get("/services/")
        return client.post("/api/requests/track/", body, content_type="application/json")

    shares = []
    for kind in ("list", "track"):
        for _ in range(3):
            request(kind)  # warm: the host map in the cache, the connection open
        with CaptureQueriesContext(connection) as queries:
            response = request(kind)
        assert response.status_code == 200, (kind, response.status_code)
        tenancy = [q["sql"] for q in queries if _is_tenancy(q["sql"])]
        say(f"{kind}: {len(queries)} statements, {len(tenancy)} of them the tenancy's: {tenancy}")
        shares.append(len(tenancy))
    connection.set_schema_to_public()
    return max(shares)


def _is_tenancy(sql: str) -> bool:
    lowered = sql.lower()
    return "search_path" in lowered or '"tenants_domain"' in lowered or '"tenants_tenant"' in lowered


# --- Commands timed in a forked child -------------------------------------------------------


def _migrate_tenants(jobs, migration_modules) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    options = {"jobs": jobs} if jobs else {}
    with override_settings(**({"MIGRATION_MODULES": migration_modules} if migration_modules else {})):
        call_command("migrate_tenants", stdout=open(os.devnull, "w"), **options)


def _migrate_schemas() -> None:
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0, stdout=open(os.devnull, "w"))


def _child(target, args) -> None:
    sys.stdout = open(os.devnull, "w")
    try:
        target(*args)
    except BaseException as error:  # the parent reads the exit code; say why here
        print(f"scale: {target.__name__} failed: {error}", file=sys.stderr, flush=True)
        os._exit(1)
    os._exit(0)


def timed_child(target, args, *, timeout: float | None) -> float | str:
    from django.db import connections

    connections.close_all()
    process = multiprocessing.get_context("fork").Process(target=_child, args=(target, args))
    started = time.perf_counter()
    process.start()
    process.join(timeout)
    elapsed = time.perf_counter() - started
    if process.is_alive():
        process.kill()
        process.join()
        return f"timeout after {timeout:.0f} s"
    if process.exitcode != 0:
        raise RuntimeError(f"{target.__name__} failed (exit code {process.exitcode})")
    return round(elapsed, 2)


# --- The additive migration -----------------------------------------------------------------


ADDITIVE = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "{leaf}")]
    operations = [
        migrations.AddField("servicerequest", "bench_note", models.CharField(max_length=40, null=True)),
        migrations.AddIndex("servicerequest", models.Index(fields=["bench_note"], name="intake_bench_note_idx")),
    ]
'''


def additive_migrate_s(jobs: int | None, tenants: int) -> float:
    """A nullable column and its index on the request table, through `migrate_tenants`, from a
    temporary copy of intake's migrations; the copy is removed afterwards (the database too)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    import intake.migrations
    from intake.models import ServiceRequest

    leaf = max(key for key in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes() if key[0] == "intake")[1]
    folder = Path(tempfile.mkdtemp(prefix="mizban-bench-migrations-"))
    module = f"bench_intake_migrations_{uuid.uuid4().hex[:8]}"
    try:
        shutil.copytree(Path(intake.migrations.__file__).parent, folder / module, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / module / "9001_bench_note.py").write_text(ADDITIVE.replace("{leaf}", leaf))
        sys.path.insert(0, str(folder))
        seconds = timed_child(_migrate_tenants, (jobs, {"intake": module}), timeout=None)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = %s AND column_name = 'bench_note'",
                [ServiceRequest._meta.db_table],
            )
            reached = cursor.fetchone()[0]
        if reached < tenants + 1:  # every tenant and the template
            raise RuntimeError(f"the column reached {reached} schemas of {tenants + 1}")
        return seconds
    finally:
        sys.path.remove(str(folder))
        shutil.rmtree(folder, ignore_errors=True)


# --- Through PgBouncer ----------------------------------------------------------------------


def pooled_errors() -> int:
    """50 clients at once over 20 tenants' units pages through PgBouncer (session mode, 4
    server connections, 24 request threads); each tenant holds a unit no other has."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from catalog.models import Unit
    from lib.pgbouncer import PgBouncer

    markers = {}
    for index in range(POOLED_TENANTS):
        marker = "واحد نشان " + "".join("abcdefghijklmnop"[int(c, 16)] for c in uuid.uuid4().hex[:12])
        with schema_context(f"t_bench_{index}"):
            Unit.objects.create(name=marker)
        markers[f"bench-{index}"] = marker
    connection.set_schema_to_public()
    with PgBouncer(os.environ["DATABASE_URL"], port=free_port(), pool_mode="session", pool_size=4) as bouncer:
        # A connection goes back to the pool after each request (session pooling: one kept
        # open would hold a server connection while the other 20 threads wait for one).
        with gunicorn(bouncer.url(), threads=12, DATABASE_POOL_MODE="session", DATABASE_CONN_MAX_AGE="0") as port:
            return _pooled_clients(port, markers)


def _pooled_clients(port: int, markers: dict[str, str]) -> int:
    slugs = sorted(markers)
    start = threading.Barrier(POOLED_CLIENTS)
    errors, lock = [0], threading.Lock()

    def client(index: int) -> None:
        start.wait()
        for round_ in range(POOLED_REQUESTS_PER_CLIENT):
            slug = slugs[(index + round_) % len(slugs)]
            try:
                status, body = call(port, "GET", "/units/", f"{slug}.localhost")
                text = body.decode()
                wrong = status != 200 or markers[slug] not in text or any(
                    marker in text for other, marker in markers.items() if other != slug)
            except OSError:
                wrong = True
            if wrong:
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(POOLED_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors[0]


if __name__ == "__main__":
    main()
