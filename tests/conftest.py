"""Fixtures shared by the whole suite.

The test database gets the public schema and two tenants once per session (per xdist
worker): "alpha", a municipality, and "beta", a dehyari, each with an admin whose password
is STAFF_PASSWORD, plus a vendor user on the platform. Tests switch tenants through the
Host header of their client or with `schema_context`; the connection is put back on the
public schema after every test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
import requests
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django_tenants.utils import schema_context

from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, SUPERVISOR_EMAIL, VENDOR_EMAIL
from tests.clients import host_client, signed_in
from tests.kavenegar import FakeKavenegar
from tests.object_storage import LocalS3
from tests.payment_gateways import FakeGateways
from tests.registry_exports import SAMPLE_REGISTRY
from tests.workers import ROOT, database_url_for, free_port


def _create_session_tenants():
    from accounts.models import User
    from lib.identifiers import make_legal_national_id
    from tenants.services import tenant_draft_clean, tenant_onboard

    for spec in SESSION_TENANTS.values():
        spec = dict(spec)
        if "national_id" in spec:
            spec["national_id"] = make_legal_national_id(spec["national_id"])
        tenant = tenant_onboard(draft=tenant_draft_clean(**spec), actor="tests")
        with schema_context(tenant.schema_name):
            admin = User.objects.get(email=spec["admin_email"])
            admin.set_password(STAFF_PASSWORD)
            admin.save()
    User.objects.create_superuser(email=VENDOR_EMAIL, password=STAFF_PASSWORD, full_name="کارشناس میزبان")
    User.objects.create_user(email=SUPERVISOR_EMAIL, password=STAFF_PASSWORD, role=User.Role.SUPERVISOR)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, always: pytest-django creates it only when a selected test asks for
    `db`, and a test that only commits through a subprocess would otherwise hit the real one."""
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    citus_url = None
    if settings.DATABASE_CITUS:
        # On a Citus coordinator the test database exists on every node with the extension and
        # the workers added before Django migrates it (lib/citus.py); Django then keeps it.
        from lib.citus import database_create

        citus_url = database_url_for(connection.creation._get_test_db_name())
        database_create(citus_url, drop=True)
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}, keepdb=bool(citus_url)
        )
        _create_session_tenants()
    yield
    with django_db_blocker.unblock():
        # Server and worker processes started by tests may still be closing their connections.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(config, verbosity=request.config.option.verbose, keepdb=bool(citus_url))
    if citus_url:
        from lib.citus import database_drop

        database_drop(citus_url)


def pytest_collection_modifyitems(config, items):
    """Tests that need a Citus cluster are left out on a single PostgreSQL."""
    from django.conf import settings

    if settings.DATABASE_CITUS:
        return
    needs_citus = [item for item in items if item.get_closest_marker("citus_only")]
    if needs_citus:
        config.hook.pytest_deselected(items=needs_citus)
        items[:] = [item for item in items if not item.get_closest_marker("citus_only")]


@pytest.fixture(autouse=True)
def _platform_allowed_hosts(settings):
    """Django's test set-up turns ALLOWED_HOSTS into a plain list; give back the real one,
    which also admits verified custom domains."""
    from lib.hosts import PlatformAllowedHosts

    settings.ALLOWED_HOSTS = PlatformAllowedHosts(
        [h for h in list.__iter__(settings.ALLOWED_HOSTS)]
    )


@pytest.fixture(autouse=True)
def _back_to_public():
    yield
    connection.set_schema_to_public()
    caches["platform"].clear()
    caches["default"].clear()
    _themes_cache_clear()


def _themes_cache_clear():
    """The published themes' cache is Redis when there is one (settings: CACHES["themes"]), shared
    with the test server: only this run's keys go, never the rest of the Redis database."""
    themes = caches["themes"]
    if not isinstance(themes, RedisCache):
        themes.clear()
        return
    client = themes._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"*:{themes.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def tenant_a(db):
    from tenants.models import Tenant

    return Tenant.objects.get(slug="alpha")


@pytest.fixture
def tenant_b(db):
    from tenants.models import Tenant

    return Tenant.objects.get(slug="beta")


@pytest.fixture
def client_a(tenant_a):
    return host_client(tenant_a.subdomain)


@pytest.fixture
def client_b(tenant_b):
    return host_client(tenant_b.subdomain)


@pytest.fixture
def public_client(db, settings):
    return host_client(settings.PLATFORM_DOMAIN)


@pytest.fixture
def vendor_client(public_client):
    assert public_client.login(email=VENDOR_EMAIL, password=STAFF_PASSWORD)
    return public_client


@pytest.fixture
def admin_a(client_a):
    """Alpha's admin, signed in through the sign-in page."""
    return signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])


@pytest.fixture
def kavenegar(httpserver):
    """The local Kavenegar on a loopback port (settings.KAVENEGAR_API_BASE = `.base_url`)."""
    return FakeKavenegar(httpserver)


@pytest.fixture(scope="session")
def _payment_gateways_server():
    """One local Zarinpal and SEP for the session (the test server is pointed at it too)."""
    server = FakeGateways()
    yield server
    server.stop()


@pytest.fixture
def payment_gateways(_payment_gateways_server, settings):
    """The local gateways, emptied, with this process's settings pointing at them."""
    _payment_gateways_server.reset()
    for name in ("PAYMENTS_ZARINPAL_BASE", "PAYMENTS_ZARINPAL_SANDBOX_BASE", "PAYMENTS_SEP_BASE"):
        setattr(settings, name, _payment_gateways_server.url)
    yield _payment_gateways_server
    _payment_gateways_server.reset()


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto's server mode, its own process) for the session."""
    server = LocalS3(ROOT / ".data")
    yield server
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """This process's media on a fresh private bucket of the local S3 server, as production keeps
    them (MEDIA_STORAGE=s3): returns the bucket's name."""
    bucket = s3_server.bucket_make(f"media-{uuid.uuid4().hex[:12]}")
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "lib.storage.TenantS3Storage",
                                                          "OPTIONS": s3_server.storage_options(bucket)}}
    return bucket


# --- The national mirror and a demo catalogue, inside the test's transaction ---------------


@pytest.fixture
def mirror(db):
    """The national mirror filled from the sample export (inside the test's transaction)."""
    from registry.services import registry_sync

    run = registry_sync(file=str(SAMPLE_REGISTRY), triggered_by="tests")
    assert run.outcome == "succeeded", run.error
    return run


@pytest.fixture
def alpha_catalog(mirror, tenant_a):
    """Alpha's demo catalogue: units and ten complete, published municipal cards."""
    from catalog.demo import catalog_demo_build

    with schema_context(tenant_a.schema_name):
        catalog_demo_build(kind="municipality", large=False)
    return tenant_a


# --- A real server process and a real browser ---------------------------------------------


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker, _payment_gateways_server):
    """gunicorn serving the session's test database on a free loopback port.

    Only data committed at session set-up (the two tenants and their admins) is visible to
    it; tests that use it change data through the server itself.
    """
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test",
        DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        PLATFORM_PORT=str(port),
        PAYMENTS_ZARINPAL_BASE=_payment_gateways_server.url, PAYMENTS_ZARINPAL_SANDBOX_BASE=_payment_gateways_server.url,
        PAYMENTS_SEP_BASE=_payment_gateways_server.url,
    )
    log = open(ROOT / ".data" / f"test-server-{port}.log", "w") if (ROOT / ".data").exists() else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60", "--graceful-timeout", "3"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            # The first answer can be slow: a gunicorn worker imports the project on demand.
            if requests.get(url + "/healthz", timeout=15).status_code in (200, 503):
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("The test server did not start; see .data/test-server-*.log")
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="session")
def _gamma(django_db_setup, django_db_blocker):
    """A committed tenant "gamma" with the demo catalogue, made once per session and never
    removed: the test server's processes cache host -> tenant, so a re-created gamma would
    meet a stale entry there."""
    from catalog.demo import catalog_demo_build
    from registry.services import registry_sync
    from tenants.services import tenant_draft_clean, tenant_onboard

    with django_db_blocker.unblock():
        registry_sync(file=str(SAMPLE_REGISTRY), triggered_by="tests")
        gamma = tenant_onboard(draft=tenant_draft_clean(
            slug="gamma", name="شهرداری گاما", kind="municipality", province="isfahan", admin_email="admin@gamma.test"))
        with schema_context(gamma.schema_name):
            catalog_demo_build(kind="municipality")
        connection.set_schema_to_public()
        # The mirror was only needed to build the catalogue: other tests expect an empty one.
        _mirror_empty()
    return gamma


def _mirror_empty():
    """Removes the committed registry mirror and its sync runs (cards refer to national
    services by ID, so gamma's catalogue survives it)."""
    from registry.models import NationalService, SyncRun

    NationalService.objects.update(parent=None)
    NationalService.objects.all().delete()
    SyncRun.objects.all().delete()
    caches["platform"].clear()


@pytest.fixture(scope="module")
def demo_catalog_on_server(_gamma, django_db_blocker):
    """Gamma, for pages served by the test server, with the registry mirror loaded for the
    module and emptied after it, so that other tests start from an empty mirror (cards refer
    to national services by ID, so gamma's catalogue survives the mirror's removal)."""
    from registry.models import NationalService
    from registry.services import registry_sync

    with django_db_blocker.unblock():
        if not NationalService.objects.exists():
            registry_sync(file=str(SAMPLE_REGISTRY), triggered_by="tests")
    yield _gamma
    with django_db_blocker.unblock():
        _mirror_empty()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own database
    # access (transactions around each test) is still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = next(
        (p for p in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser") if p and os.path.exists(p)),
        None,
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone screen, in Persian."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    page = context.new_page()
    yield page
    context.close()
