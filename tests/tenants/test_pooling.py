"""Tenancy behind PgBouncer (README, Pooling): 50 concurrent clients over 20 tenants, through
a real PgBouncer in session mode in front of the test database and a gunicorn serving it,
and every answer is its own tenant's: each tenant's units page shows a unit that only that
tenant's schema holds, and never another tenant's."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from lib.pgbouncer import PgBouncer
from tests.builders import unit_make
from tests.workers import ROOT, database_url_for, free_port

TENANTS = 20  # alpha and beta, and 18 more made here
CLIENTS = 50
REQUESTS_PER_CLIENT = 6


@pytest.fixture(scope="module")
def twenty_tenants(django_db_setup, django_db_blocker):
    """{slug: marker}: 18 tenants besides alpha and beta, committed for the module and removed
    after it, and in each of the 20 schemas a unit whose name no other schema has."""
    from catalog.models import Unit
    from tenants.models import Tenant
    from tenants.services import tenant_draft_clean, tenant_onboard

    made, markers = [], {}
    with django_db_blocker.unblock():
        try:
            for n in range(TENANTS - 2):
                made.append(tenant_onboard(draft=tenant_draft_clean(
                    slug=f"pool{n:02d}", name=f"شهرداری آزمون اتصال {n}", kind="municipality",
                    province="isfahan", admin_email=f"admin@pool{n:02d}.test")))
            for tenant in [*Tenant.objects.filter(slug__in=("alpha", "beta")), *made]:
                # Letters only: the page writes digits as Persian digits.
                marker = "واحد نشان " + "".join("abcdefghijklmnop"[int(c, 16)] for c in uuid.uuid4().hex[:12])
                unit_make(name=marker, schema=tenant.schema_name)
                markers[tenant.slug] = marker
            connection.set_schema_to_public()
            yield markers
        finally:
            connection.set_schema_to_public()
            for slug in ("alpha", "beta"):
                with schema_context(f"t_{slug}"):
                    Unit.objects.filter(name__in=markers.values()).delete()
            for tenant in made:
                tenant.delete()
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')


@pytest.fixture(scope="module")
def pooled_server(twenty_tenants, tmp_path_factory):
    """gunicorn (2 processes of 12 threads) whose every connection goes through a PgBouncer in
    session mode with 4 server connections: 24 request threads share them."""
    database = connection.settings_dict["NAME"]
    with PgBouncer(database_url_for(database), port=free_port(), pool_mode="session", pool_size=4) as bouncer:
        port = free_port()
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="mizban.settings_test",
            DATABASE_URL=bouncer.url(database), DATABASE_POOL_MODE="session", PLATFORM_PORT=str(port),
        )
        log_path = tmp_path_factory.mktemp("pooled") / "gunicorn.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                 "--worker-class", "gthread", "--threads", "12", "--timeout", "60", "--graceful-timeout", "3"],
                cwd=ROOT, env=env, stdout=log, stderr=log,
            )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log_path.read_text()
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"}, timeout=15).ok:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            yield port, bouncer
        finally:
            server.terminate()
            server.wait(15)


def test_fifty_concurrent_clients_over_twenty_tenants_each_get_their_own_tenant(twenty_tenants, pooled_server):
    port, bouncer = pooled_server
    slugs = sorted(twenty_tenants)
    assert len(slugs) == TENANTS
    start = threading.Barrier(CLIENTS)
    answers: list[tuple[str, int, str]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        session = requests.Session()
        start.wait()
        for round_ in range(REQUESTS_PER_CLIENT):
            slug = slugs[(index + round_) % TENANTS]  # each client visits several tenants
            try:
                response = session.get(
                    f"http://127.0.0.1:{port}/units/", headers={"Host": f"{slug}.localhost:{port}"}, timeout=60)
            except requests.RequestException as error:
                with lock:
                    failures.append(f"{slug}: {error}")
                continue
            with lock:
                answers.append((slug, response.status_code, response.text))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert failures == []
    assert len(answers) == CLIENTS * REQUESTS_PER_CLIENT
    wrong = []
    for slug, status, body in answers:
        others = [other for other, marker in twenty_tenants.items() if other != slug and marker in body]
        if status != 200 or twenty_tenants[slug] not in body or others:
            wrong.append((slug, status, others))
    assert wrong == []
    # Every one of those answers was served through the pooler's four server connections.
    stats = bouncer.stats()[connection.settings_dict["NAME"]]
    assert stats["total_query_count"] >= len(answers)
