"""The platform on a Citus cluster (DATABASE_CITUS): each tenant schema distributed to one
worker, the vendor console showing and moving it, and a tenant serving through a move with
nothing lost. Only in the Citus pass of `make test` (the cluster of scripts/citus.py)."""

import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Service
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import ServiceRequest
from tenants.models import Tenant, TenantEvent
from tenants.tracking_codes import tracking_code_tenant
from tests.builders import NATIONAL_CODE, VENDOR_EMAIL, applicant_post
from tests.clients import host_client

pytestmark = [pytest.mark.citus, pytest.mark.citus_only]


def _text(html: str) -> str:
    return html.replace("&laquo;", "«").replace("&raquo;", "»")


def _node_of(schema: str) -> str:
    """The schema's node as Citus's own view of its shards says (not the product's query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT nodename || ':' || nodeport FROM citus_shards WHERE citus_table_type = 'schema'"
            " AND table_name::text LIKE %s",
            [schema + ".%"],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, rows  # every table of a tenant on one node
    return rows[0][0]


def _workers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeport")
        return [row[0] for row in cursor.fetchall()]


def test_every_tenant_table_is_distributed_with_no_local_table(tenant_a, tenant_b):
    with connection.cursor() as cursor:
        for schema in (tenant_a.schema_name, tenant_b.schema_name):
            cursor.execute(
                """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = %s AND c.relkind = 'r'
                         AND c.oid NOT IN (SELECT logicalrelid FROM pg_dist_partition)""",
                [schema],
            )
            assert cursor.fetchall() == [], f"tables of {schema} left on the coordinator"
            cursor.execute("SELECT 1 FROM citus_schemas WHERE schema_name = %s::regnamespace", [schema])
            assert cursor.fetchone(), f"{schema} is not a distributed schema"


def test_the_console_shows_each_tenants_node(vendor_client, tenant_a, tenant_b):
    home = _text(vendor_client.get("/console/").content.decode())
    for tenant in (tenant_a, tenant_b):
        assert _node_of(tenant.schema_name) in home
    page = _text(vendor_client.get(f"/console/tenants/{tenant_a.slug}/").content.decode())
    assert "گره خوشه" in page and _node_of(tenant_a.schema_name) in page


def test_a_move_to_an_unknown_node_is_refused_in_persian(vendor_client, tenant_a):
    before = _node_of(tenant_a.schema_name)
    response = vendor_client.post(f"/console/tenants/{tenant_a.slug}/move/", {"node": "localhost:1"}, follow=True)
    assert "در خوشه نیست" in _text(response.content.decode())
    assert _node_of(tenant_a.schema_name) == before
    assert not TenantEvent.objects.filter(tenant=tenant_a, action=TenantEvent.Action.MOVED).exists()


def test_beta_cannot_be_moved_from_alphas_host(client_b, tenant_a):
    """The console is the platform's alone: a tenant host has no move route."""
    before = _node_of(tenant_a.schema_name)
    other = next(w for w in _workers() if w != before)
    assert client_b.post(f"/console/tenants/{tenant_a.slug}/move/", {"node": other}).status_code == 404
    assert _node_of(tenant_a.schema_name) == before


def _draft_tokens(count: int) -> list[str]:
    with schema_context("t_gamma"):
        service = Service.objects.get(national_id="10901010100")
        tokens = []
        for _ in range(count):
            draft = draft_start(service=service)
            draft_save_step(draft=draft, step="details", values={"text": "درخواست در میان جابه‌جایی"})
            draft_save_step(draft=draft, step="applicant", values=applicant_post())
            tokens.append(draft.token)
        return tokens


def test_a_tenant_moved_from_the_console_keeps_taking_requests_and_loses_none(
    live_server_url, demo_catalog_on_server, django_db_blocker
):
    """Citizens submit to gamma on their own connection while the vendor moves gamma to the
    other worker: every submit answers (one that comes during the move waits for it:
    tenant_writes_guard), and every code is found afterwards. No test transaction here (a move
    cannot be rolled back with one): everything commits."""
    with django_db_blocker.unblock():
        vendor_client = host_client(settings.PLATFORM_DOMAIN)
        vendor_client.force_login(User.objects.get(email=VENDOR_EMAIL))
        gamma = Tenant.objects.get(schema_name="t_gamma")
        source = _node_of("t_gamma")
        target = next(w for w in _workers() if w != source)
        tokens = _draft_tokens(400)
        submitted, waits, errors, moving = [], [], [], threading.Event()
        done = threading.Event()

        def citizens():
            try:
                for token in tokens:
                    if done.is_set() and len(submitted) >= 5:
                        break
                    started = time.monotonic()
                    with schema_context("t_gamma"):
                        submitted.append(request_submit(token=token).tracking_code)
                    waits.append(time.monotonic() - started)
                    if len(submitted) == 3:
                        moving.set()  # the move starts once citizens are submitting
            except Exception as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                moving.set()
                connection.close()

        thread = threading.Thread(target=citizens)
        thread.start()
        assert moving.wait(60)
        during = len(submitted)
        response = vendor_client.post(f"/console/tenants/{gamma.slug}/move/", {"node": target}, follow=True)
        after_move = len(submitted)
        done.set()
        thread.join(120)
        assert not errors, errors
        assert "جابه‌جا شد" in _text(response.content.decode())
        assert _node_of("t_gamma") == target
        assert len(submitted) > after_move, "no submit went through after the move"
        with schema_context("t_gamma"):
            found = set(ServiceRequest.objects.filter(tracking_code__in=submitted).values_list("tracking_code", flat=True))
        assert found == set(submitted)
        assert all(tracking_code_tenant(code) == gamma for code in submitted)
        event = TenantEvent.objects.filter(tenant=gamma, action=TenantEvent.Action.MOVED).latest("created_at")
        assert source in event.note and target in event.note
        # A citizen tracks over HTTP (gunicorn on the test database) from the new node.
        port = urlsplit(live_server_url).port
        for code in (submitted[0], submitted[during], submitted[-1]):
            answer = requests.post(
                f"http://127.0.0.1:{port}/api/requests/track/", json={"code": code, "identity": NATIONAL_CODE},
                headers={"Host": f"gamma.localhost:{port}"}, timeout=60,
            )
            assert answer.status_code == 200, answer.text[:300]
            assert answer.json()["tracking_code"] == code
        # And the command moves it back.
        call_command("tenant_move", slug=gamma.slug, node=source)
        assert _node_of("t_gamma") == source


def test_a_submit_waits_while_its_tenant_is_moved(demo_catalog_on_server, django_db_blocker):
    """The move's lock (tenants/cluster.py) held on another connection, as a move holds it: a
    citizen's submit waits on it, having written nothing, and goes through once it is released."""
    import psycopg

    from tenants.cluster import MOVE_LOCK_SPACE

    with django_db_blocker.unblock():
        gamma = Tenant.objects.get(schema_name="t_gamma")
        [token] = _draft_tokens(1)
        database = connection.settings_dict
        mover = psycopg.connect(host=database["HOST"], port=database["PORT"], dbname=database["NAME"],
                                user=database["USER"], autocommit=True)
        mover.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [MOVE_LOCK_SPACE, gamma.schema_name])
        outcome = []

        def citizen():
            try:
                with schema_context("t_gamma"):
                    outcome.append(request_submit(token=token).tracking_code)
            except Exception as error:  # noqa: BLE001 - reported below
                outcome.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=citizen)
        try:
            thread.start()
            deadline = time.monotonic() + 60
            waiting = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s"
            while not mover.execute(waiting, [MOVE_LOCK_SPACE]).fetchone():
                assert time.monotonic() < deadline, "the submit never waited for the move"
                assert not outcome, outcome
                time.sleep(0.05)
            with schema_context("t_gamma"):
                assert not ServiceRequest.objects.filter(wizard_token=token).exists()
        finally:
            mover.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [MOVE_LOCK_SPACE, gamma.schema_name])
            mover.close()
        thread.join(60)
        assert len(outcome) == 1 and isinstance(outcome[0], str), outcome
        with schema_context("t_gamma"):
            assert ServiceRequest.objects.filter(tracking_code=outcome[0]).count() == 1
