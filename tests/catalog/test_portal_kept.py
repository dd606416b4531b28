"""The portal's catalogue pages are kept by each web process until the tenant's catalogue
changes (README, "Load"): a kept page costs no catalogue query, and whatever writes a card —
an edit, a fee approved, stages replaced in bulk, an XLSX import, unpublishing — shows on the
next page a citizen opens, on the tenant's own host only. The request API's check of the card
(what is offered online, in which units) is kept the same way and sees every change on the next
submit."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from catalog.models import Service
from catalog.services import service_unpublish, service_update, stages_replace
from tests.builders import SERVICE

PAGE = f"/services/{SERVICE}/"


@pytest.fixture
def keep(settings):
    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60


def _card():
    return Service.objects.get(national_id=SERVICE)


def _common_name_set(tenant, name: str) -> None:
    """An admin's edit of the card, through the catalogue's own service."""
    with schema_context(tenant.schema_name):
        service = _card()

        def save():
            service.common_name = name
            service.save()

        service_update(service=service, actor="admin@alpha.test", save=save)
    connection.set_schema_to_public()


def test_a_kept_page_reads_no_catalogue(keep, alpha_catalog, client_a, django_assert_max_num_queries):
    for path in ("/services/", PAGE):
        first = client_a.get(path).content.decode()
        with django_assert_max_num_queries(1):  # at most the search_path
            again = client_a.get(path)
        assert again.status_code == 200 and "صدور پروانه ساختمان" in again.content.decode()
        assert again.content.decode() == first


def test_a_cards_first_page_reads_no_catalogue_once_another_card_was_read(keep, alpha_catalog, client_a, django_assert_max_num_queries):
    """Citizens ask for many different cards: the first one read brings every card of the tenant."""
    with schema_context(alpha_catalog.schema_name):
        others = list(Service.objects.filter(status=Service.Status.PUBLISHED).exclude(national_id=SERVICE).values_list("national_id", "approved_title"))
    connection.set_schema_to_public()
    assert len(others) >= 2
    client_a.get(PAGE)
    for national_id, title in others:
        with django_assert_max_num_queries(1):  # at most the search_path
            page = client_a.get(f"/services/{national_id}/")
        assert page.status_code == 200 and title in page.content.decode()
    assert client_a.get("/services/0000000000/").status_code == 404


def test_an_edit_shows_on_the_next_page(keep, alpha_catalog, client_a, django_capture_on_commit_callbacks):
    assert "پروانه نوساز" not in client_a.get(PAGE).content.decode()
    assert "پروانه نوساز" not in client_a.get("/services/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _common_name_set(alpha_catalog, "پروانه نوساز")
    assert "پروانه نوساز" in client_a.get(PAGE).content.decode()
    assert "پروانه نوساز" in client_a.get("/services/").content.decode()


def test_stages_replaced_in_bulk_show_on_the_next_page(keep, alpha_catalog, client_a):
    card = PAGE + "card/"  # the full card lists the workflow's stages
    assert "بازدید کارشناس نقشه‌برداری" not in client_a.get(card).content.decode()
    with schema_context(alpha_catalog.schema_name):
        stages_replace(service=_card(), stages=[("دریافت مدارک", 1, None), ("بازدید کارشناس نقشه‌برداری", 3, None)], actor="admin@alpha.test")
    connection.set_schema_to_public()
    assert "بازدید کارشناس نقشه‌برداری" in client_a.get(card).content.decode()


def test_an_approved_fee_shows_on_the_next_page(keep, alpha_catalog, client_a):
    from catalog.fee_changes import fee_change_decide, fee_change_propose

    with schema_context(alpha_catalog.schema_name):
        service = _card()
        fee = service.fees.order_by("order", "id").first()
        assert fee is not None
        values = {"title": fee.title, "amount_rial": 7_654_321, "sheba": fee.sheba, "bank": fee.bank, "order": fee.order, "due": fee.due}
        change = fee_change_propose(service=service, fee=fee, values=values, actor="admin@alpha.test")
    connection.set_schema_to_public()
    assert "۷٬۶۵۴٬۳۲۱" not in client_a.get(PAGE).content.decode()  # proposed, not in force
    with schema_context(alpha_catalog.schema_name):
        fee_change_decide(change_id=change.pk, service=service, actor="manager@alpha.test", approve=True)
    connection.set_schema_to_public()
    assert "۷٬۶۵۴٬۳۲۱" in client_a.get(PAGE).content.decode()


def test_an_unpublished_card_is_gone_on_the_next_page(keep, alpha_catalog, client_a):
    assert client_a.get(PAGE).status_code == 200
    with schema_context(alpha_catalog.schema_name):
        service_unpublish(service=_card(), actor="admin@alpha.test", reason="بازنگری")
    connection.set_schema_to_public()
    assert client_a.get(PAGE).status_code == 404
    assert f'href="/services/{SERVICE}/"' not in client_a.get("/services/").content.decode()


def test_another_tenant_never_gets_a_kept_card(keep, alpha_catalog, client_a, client_b):
    assert client_a.get(PAGE).status_code == 200
    assert "صدور پروانه ساختمان" in client_a.get("/services/").content.decode()
    assert client_b.get(PAGE).status_code == 404  # beta has no catalogue
    assert "صدور پروانه ساختمان" not in client_b.get("/services/").content.decode()


def test_a_redis_outage_keeps_pages_up_and_edits_seen(keep, alpha_catalog, client_a, settings):
    """With Redis unreachable the shared cache falls back to the process's memory (lib/cache.py):
    pages answer, and an edit made through this process shows on its next page."""
    dead = {**settings.CACHES["themes"], "BACKEND": "lib.cache.PooledRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_SECONDS": 5}}
    settings.CACHES = {**settings.CACHES, "themes": dead}
    assert client_a.get(PAGE).status_code == 200
    _common_name_set(alpha_catalog, "پروانه در قطعی ردیس")
    page = client_a.get(PAGE)
    assert page.status_code == 200 and "پروانه در قطعی ردیس" in page.content.decode()


# --- The request API's check of the card (catalog.selectors.online_offer) ---------------------


def _submit(client):
    from tests.builders import request_api_post, request_files

    return client.post("/api/requests/", {**request_api_post(), "files": request_files()})


def test_a_kept_offer_takes_requests_without_reading_the_card(keep, alpha_catalog, client_a):
    from django.test.utils import CaptureQueriesContext

    assert _submit(client_a).status_code == 201
    with CaptureQueriesContext(connection) as kept:
        answer = _submit(client_a)
    assert answer.status_code == 201, answer.content[:300]
    read = [query["sql"] for query in kept.captured_queries if query["sql"].startswith("SELECT")]
    assert not any('FROM "catalog_service"' in sql or 'FROM "catalog_unit"' in sql for sql in read), read


def test_a_card_closed_to_online_requests_refuses_the_next_submit(keep, alpha_catalog, client_a, django_capture_on_commit_callbacks):
    assert _submit(client_a).status_code == 201
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha_catalog.schema_name):
        service = _card()
        service.online_request = False
        service.save()
    connection.set_schema_to_public()
    refused = _submit(client_a)
    assert refused.status_code == 400 and refused.json()["codes"]["service"] == ["service_not_offered_online"], refused.content[:300]


def test_a_unit_no_longer_offering_the_card_is_refused(keep, alpha_catalog, client_a, django_capture_on_commit_callbacks):
    with schema_context(alpha_catalog.schema_name):
        service = _card()
        units = list(service.units.order_by("order", "id"))
    connection.set_schema_to_public()
    assert _submit_to(client_a, units[0].pk).status_code == 201
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha_catalog.schema_name):
        _card().units.remove(units[0])
    connection.set_schema_to_public()
    refused = _submit_to(client_a, units[0].pk)
    assert refused.status_code == 400 and refused.json()["codes"]["unit"] == ["service_not_offered_in_unit"], refused.content[:300]


def _submit_to(client, unit_id: int):
    from tests.builders import request_api_post, request_files

    return client.post("/api/requests/", {**request_api_post(unit=unit_id), "files": request_files()})
