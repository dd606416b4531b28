"""The portal's pages kept whole for anonymous citizens (portal_themes/kept_pages.py; README,
Benchmarks): a kept page renders nothing and reads nothing, and whatever changes what a citizen
sees — the tenant, its published theme, its catalogue — shows on the next page. A signed-in
visitor, a search and another tenant never get a kept page."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from catalog.models import Service
from tests.builders import SERVICE, SESSION_TENANTS, theme_form
from tests.clients import host_client, signed_in

PAGES = ("/", "/services/", f"/services/{SERVICE}/", f"/services/{SERVICE}/card/")


@pytest.fixture
def keep(settings):
    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "X-Request-ID"}  # each request's own


def _theme_published(admin, **values):
    assert admin.post("/staff/branding/", theme_form(**values)).status_code == 302
    assert admin.post("/staff/branding/publish/").status_code == 302


def test_a_kept_page_renders_and_reads_nothing(keep, alpha_catalog, client_a, django_assert_max_num_queries):
    for path in PAGES:
        first = client_a.get(path)
        assert first.status_code == 200 and first.templates, path
        with django_assert_max_num_queries(0):
            again = client_a.get(path)
        assert again.status_code == 200 and not again.templates, path  # no template rendered
        assert again.content == first.content
        assert _headers(again) == _headers(first)  # Vary: Cookie included, for any cache on the way
        assert not again.cookies


def test_a_signed_in_visitor_gets_their_own_page(keep, alpha_catalog, client_a, tenant_a):
    anonymous = client_a.get("/").content.decode()
    assert "ورود کارکنان" in anonymous and "محیط کارکنان" not in anonymous
    admin = signed_in(host_client(tenant_a.subdomain), SESSION_TENANTS["alpha"]["admin_email"])
    assert "محیط کارکنان" in admin.get("/").content.decode()
    assert "محیط کارکنان" not in client_a.get("/").content.decode()  # the admin's page was not kept for citizens


def test_a_search_is_answered_not_kept(keep, alpha_catalog, client_a):
    client_a.get("/services/")
    found = client_a.get("/services/", {"q": "پروانه"})
    assert found.templates and "صدور پروانه ساختمان" in found.content.decode()
    assert client_a.get("/services/", {"q": "ناموجود"}).content != found.content


def test_a_published_theme_shows_on_the_next_page(keep, alpha_catalog, client_a, tenant_a):
    for path in PAGES:
        assert "درگاه تازه آلفا" not in client_a.get(path).content.decode()
    admin = signed_in(host_client(tenant_a.subdomain), SESSION_TENANTS["alpha"]["admin_email"])
    _theme_published(admin, display_name="درگاه تازه آلفا")
    for path in PAGES:
        assert "درگاه تازه آلفا" in client_a.get(path).content.decode(), path


def test_the_tenant_renamed_shows_on_the_next_page(keep, alpha_catalog, client_a, tenant_a):
    assert "شهرداری آلفای نو" not in client_a.get("/").content.decode()
    tenant_a.name = "شهرداری آلفای نو"
    tenant_a.save()  # drops the host's entry: the next request resolves the renamed tenant
    connection.set_schema_to_public()
    assert "شهرداری آلفای نو" in client_a.get("/").content.decode()


def test_a_card_change_shows_on_the_next_page(keep, alpha_catalog, client_a, django_capture_on_commit_callbacks):
    page = f"/services/{SERVICE}/"
    assert "پروانه نوساز" not in client_a.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha_catalog.schema_name):
        service = Service.objects.get(national_id=SERVICE)
        service.common_name = "پروانه نوساز"
        service.save()
    connection.set_schema_to_public()
    assert "پروانه نوساز" in client_a.get(page).content.decode()
    assert "پروانه نوساز" in client_a.get("/services/").content.decode()


def test_another_tenant_never_gets_a_kept_page(keep, alpha_catalog, client_a, client_b, tenant_a, tenant_b):
    assert tenant_a.name in client_a.get("/").content.decode()
    home_b = client_b.get("/").content.decode()
    assert tenant_b.name in home_b and tenant_a.name not in home_b
    assert client_a.get(f"/services/{SERVICE}/").status_code == 200
    assert client_b.get(f"/services/{SERVICE}/").status_code == 404  # beta has no catalogue
