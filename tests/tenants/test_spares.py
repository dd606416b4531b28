"""Spare schemas: onboarding renames a ready copy of the template; a failure gives it back; the
worker makes them (several at once) and drops those of an older template."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import SpareSchema, TemplateSchema
from tenants.provisioning import schema_signature, template_ensure, template_schema_name
from tenants.services import OnboardingError, tenant_draft_clean, tenant_onboard
from tenants.spares import _REFILL_LOCK, SPARE_PREFIX, spare_claim, spares_drop_stale, spares_refill, spares_refill_soon
from tests.clients import host_client
from tests.workers import celery_worker, database_url_for


def _schemas(prefix: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", [prefix])
        return {row[0] for row in cursor.fetchall()}


def _draft(slug="kashan"):
    return tenant_draft_clean(slug=slug, name="شهرداری کاشان", kind="municipality", province="isfahan", admin_email=f"admin@{slug}.test")


def _seeded_rows(schema: str) -> list[tuple[str, str]]:
    """The rows the template's migrations left (its migration records: no content types or
    permissions in a tenant schema since accounts.0008)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        return cursor.fetchall()


@pytest.mark.citus
def test_onboarding_renames_a_ready_spare(db):
    assert spares_refill(target=2, parallel=1) == 2
    spares = set(SpareSchema.objects.values_list("name", flat=True))
    assert len(spares) == 2 and _schemas(SPARE_PREFIX) == spares

    tenant = tenant_onboard(draft=_draft())

    left = set(SpareSchema.objects.values_list("name", flat=True))
    assert len(left) == 1 and _schemas(SPARE_PREFIX) == left  # the oldest spare became the tenant's
    assert schema_signature(tenant.schema_name) == schema_signature(template_schema_name())
    assert _seeded_rows(tenant.schema_name) == _seeded_rows(template_schema_name())
    with schema_context(tenant.schema_name):
        assert User.objects.get().email == "admin@kashan.test"
    assert host_client("kashan.localhost").get("/").status_code == 200


@pytest.mark.citus
def test_a_failed_onboarding_leaves_the_spare_spare(db):
    spares_refill(target=1, parallel=1)
    [spare] = SpareSchema.objects.values_list("name", flat=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """CREATE FUNCTION public.refuse_event() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
               CREATE TRIGGER refuse_event BEFORE INSERT ON public.tenants_tenantevent
               FOR EACH ROW EXECUTE FUNCTION public.refuse_event();"""
        )
    with pytest.raises(OnboardingError, match="injected failure"):
        tenant_onboard(draft=_draft())
    assert list(SpareSchema.objects.values_list("name", flat=True)) == [spare]
    assert _schemas(SPARE_PREFIX) == {spare} and not _schemas("t_kashan")


@pytest.mark.citus
def test_a_spare_of_an_older_template_is_never_used_and_is_dropped(db):
    # The spare is made and dropped in the test's one transaction: the copy leaves no deferred
    # foreign-key check pending, which would forbid the DROP (on Citus, on the worker).
    spares_refill(target=1, parallel=1)
    SpareSchema.objects.update(fingerprint="an-older-set-of-migrations")
    assert spare_claim(schema_name="t_kashan", template=TemplateSchema.objects.get()) is False
    tenant = tenant_onboard(draft=_draft())  # copies the template itself
    assert schema_signature(tenant.schema_name) == schema_signature(template_schema_name())

    assert spares_refill(target=1, parallel=1) == 1
    assert set(SpareSchema.objects.values_list("fingerprint", flat=True)) == {template_ensure().fingerprint}
    assert len(_schemas(SPARE_PREFIX)) == 1


@pytest.mark.citus
def test_nothing_is_made_while_another_refill_runs(db):
    # Another process (a second worker) holds the refill's lock.
    with psycopg.connect(_url()) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [_REFILL_LOCK])
        assert spares_refill(target=2, parallel=1) == 0
    assert not SpareSchema.objects.exists()


@pytest.mark.citus
def test_the_worker_makes_spares_several_at_once(django_db_blocker, tmp_path, settings):
    """After an onboarding commits, the worker tops the spares up on its own connections."""
    with django_db_blocker.unblock():
        template_ensure()
        settings.TENANT_SPARE_SCHEMAS = 3
        try:
            with celery_worker(tmp_path / "worker.log", TENANT_SPARE_SCHEMAS="3", TENANT_SPARE_PARALLEL="3"):
                spares_refill_soon()
                # Until the three are ready; the bound only ends a hung worker. On Citus a copy is
                # ~250 DDL statements each forwarded to a worker node: 2-6 s apiece on this
                # shared 2-core machine, several times that under heavy load.
                deadline = time.monotonic() + (240 if settings.DATABASE_CITUS else 60)
                while SpareSchema.objects.count() < 3 and time.monotonic() < deadline:
                    time.sleep(0.2)
            names = set(SpareSchema.objects.values_list("name", flat=True))
            assert len(names) == 3, (tmp_path / "worker.log").read_text()[-3000:]
            assert _schemas(SPARE_PREFIX) == names
            expected = schema_signature(template_schema_name())
            assert all(schema_signature(name) == expected for name in names)
        finally:
            spares_drop_stale(fingerprint="none: drop them all")
            connection.set_schema_to_public()
    with django_db_blocker.unblock():
        assert not _schemas(SPARE_PREFIX) and not SpareSchema.objects.exists()


def _committed_spare_later(name: str, fingerprint: str, delay: float) -> threading.Thread:
    """Another connection commits a spare (an empty schema will do) after `delay` seconds."""

    def commit():
        time.sleep(delay)
        with psycopg.connect(_url()) as other:
            other.execute(f'CREATE SCHEMA "{name}"')
            other.execute("INSERT INTO tenants_spareschema (name, fingerprint, created_at) VALUES (%s, %s, now())", [name, fingerprint])

    thread = threading.Thread(target=commit)
    thread.start()
    return thread


def _url() -> str:
    return database_url_for(connection.settings_dict["NAME"]).replace("postgres://", "postgresql://")


@pytest.fixture
def spare_committed_elsewhere():
    """Set up before `db` and torn down after its rollback: drops the spare another connection
    committed (the test's rename of it is rolled back)."""
    yield "spare_being_made"
    with psycopg.connect(_url(), autocommit=True) as other:
        other.execute('DROP SCHEMA IF EXISTS "spare_being_made" CASCADE')
        other.execute("DELETE FROM tenants_spareschema WHERE name = 'spare_being_made'")


@pytest.mark.citus
def test_with_none_ready_onboarding_waits_for_the_one_being_made(spare_committed_elsewhere, db):
    template = TemplateSchema.objects.get()
    with psycopg.connect(_url()) as refill:
        refill.execute("SELECT pg_advisory_lock(%s)", [_REFILL_LOCK])  # a worker is making spares
        maker = _committed_spare_later(spare_committed_elsewhere, template.fingerprint, delay=0.3)
        try:
            started = time.monotonic()
            assert spare_claim(schema_name="t_kashan", template=template, wait_seconds=10) is True
            assert 0.25 < time.monotonic() - started < 5
            assert _schemas("t_kashan") == {"t_kashan"} and not SpareSchema.objects.exists()
        finally:
            maker.join()


@pytest.mark.citus
def test_with_none_ready_and_none_being_made_onboarding_does_not_wait(db):
    template = TemplateSchema.objects.get()
    started = time.monotonic()
    assert spare_claim(schema_name="t_kashan", template=template, wait_seconds=10) is False
    assert time.monotonic() - started < 1


@pytest.mark.citus
def test_the_vendor_sees_how_many_spares_are_ready(vendor_client, settings):
    settings.TENANT_SPARE_SCHEMAS = 2
    assert "نسخهٔ آماده‌ای نیست" in vendor_client.get("/console/tenants/new/").content.decode()
    spares_refill(target=1, parallel=1)
    assert "نسخه‌های آماده برای راه‌اندازی فوری: ۱ از ۲" in vendor_client.get("/console/tenants/new/").content.decode()
