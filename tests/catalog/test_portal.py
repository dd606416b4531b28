"""The citizens' service pages: list with cascade, Table 1, the full card, units, FAQ, API."""

import json

import pytest
from django_tenants.utils import schema_context

from catalog.models import Service

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def test_the_list_shows_published_cards_with_their_sub_services(alpha_catalog, client_a):
    page = client_a.get("/services/").content.decode()
    assert "صدور پروانه ساختمان" in page  # the parent
    assert 'aria-controls="sub-10901010000"' in page  # its "+" opens the cascade
    assert "صدور پروانه ساختمان مسکونی" in page
    assert "صدور مجوز تعمیرات جزئی ساختمان" not in page  # a draft sub-service stays hidden
    assert "channel-web" in page and "channel-ivr" in page


def test_search_is_persian_normalised(alpha_catalog, client_a):
    # Typed with the Arabic «ي»: «تمديد».
    page = client_a.get("/services/", {"q": "تمديد پروانه"}).content.decode()
    assert "تمدید پروانه ساختمان" in page
    by_id = client_a.get("/services/", {"q": "۱۰۹۰۱۰۶"}).content.decode()
    assert "صدور مجوز حفاری معابر" in by_id


def test_the_service_page_holds_table_one_and_links_to_the_card(alpha_catalog, client_a):
    page = client_a.get("/services/10901010100/").content.decode()
    for text in ("عنوان خدمت", "شناسه خدمت", "۱۰۹۰۱۰۱۰۱۰۰", "به شهروندان", "مدارک مورد نیاز", "تصویر سند مالکیت",
                 "۱۵ روز کاری", "ساعات ارائه خدمت", "تعداد بار مراجعه حضوری", "۲۵٬۰۰۰٬۰۰۰ ریال", "نحوه دسترسی",
                 "جزئیات خدمت (شناسنامه خدمت)", "نمودار مراحل دریافت خدمت", "<svg"):
        assert text in page, text


def test_the_full_card(alpha_catalog, client_a):
    page = client_a.get("/services/10901010100/card/").content.decode()
    for text in ("قوانین و مقررات", "قانون شهرداری‌ها", "مسئول خدمت", "مراحل گردش کار", "بازدید کارشناس", "پرسش و پاسخ", "راهنمای کامل"):
        assert text in page, text


def test_drafts_are_not_on_the_portal(alpha_catalog, client_a):
    assert client_a.get("/services/10901010400/").status_code == 404


def test_units_page_lists_headquarters_services_under_districts(alpha_catalog, client_a):
    page = client_a.get("/units/").content.decode()
    assert "ستاد شهرداری" in page and "شهرداری منطقه ۱" in page.replace("1", "۱")


def test_faq_page(alpha_catalog, client_a):
    assert "آیا برای پروانه مسکونی بازدید لازم است؟" in client_a.get("/faq/").content.decode()


def test_public_api_lists_published_cards(alpha_catalog, client_a, tenant_a):
    body = json.loads(client_a.get("/api/catalog/services/").content)
    ids = {item["national_id"] for item in body}
    with schema_context(tenant_a.schema_name):
        assert ids == set(Service.objects.filter(status="published").values_list("national_id", flat=True))
    one = json.loads(client_a.get("/api/catalog/services/10901010100/").content)
    assert one["fees"][0]["amount_rial"] == 25_000_000 and one["stages"][0]["name"] == "بررسی مدارک"
    schema = client_a.get("/api/schema/").content.decode()
    assert "/api/catalog/services/" in schema


def test_another_tenant_never_sees_these_cards(alpha_catalog, client_b):
    assert "صدور پروانه ساختمان" not in client_b.get("/services/").content.decode()
    assert client_b.get("/services/10901010100/").status_code == 404
    assert client_b.get("/services/10901010100/package.pdf").status_code == 404
    assert json.loads(client_b.get("/api/catalog/services/").content) == []
    assert client_b.get("/api/catalog/services/10901010100/").status_code == 404


def test_the_card_links_only_to_web_addresses(alpha_catalog, client_a, tenant_a):
    """A javascript: URL stored before the forms refused it is shown as text, never as a link."""
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901010100")
        service.laws.create(title="قانون قدیمی", url="java\tscript:alert(1)", order=8)
        service.laws.create(title="قانون درست", url="https://example.ir/law", order=9)
        Service.objects.filter(pk=service.pk).update(online_request=False, web_url="javascript:alert(2)")
    page = client_a.get("/services/10901010100/card/").content.decode()
    assert "قانون قدیمی" in page and 'href="https://example.ir/law"' in page
    assert 'href="java' not in page and "javascript:alert(2)</span>" in page
