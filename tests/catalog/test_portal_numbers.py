"""What a citizen reads on the portal's service pages: Persian digits inside Persian text,
and «back» links whose arrow points back for a right-to-left reader."""

import re

from django.conf import settings
from django_tenants.utils import schema_context

from catalog.models import Service


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_contact_numbers_are_in_persian_digits(alpha_catalog, client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.filter(status="published", parent__isnull=True).first()
        Service.objects.filter(pk=service.pk).update(ivr_number="137", sms_code="3000137", responsible_phone="031-32221111")
    for page in (f"/services/{service.national_id}/", f"/services/{service.national_id}/card/"):
        text = _text(client_a.get(page).content.decode())
        assert "۱۳۷" in text and "۳۰۰۰۱۳۷" in text, page
        assert "۰۲۱-۱۱۱۱۲۲۲۲" in text, page  # the tenant's phone in the footer
        assert not re.search(r"\b137\b|021-1111", text), page
    assert "۰۳۱-۳۲۲۲۱۱۱۱" in _text(client_a.get(f"/services/{service.national_id}/card/").content.decode())


def test_back_link_arrow_is_drawn_by_css_and_mirrored_for_rtl(alpha_catalog, client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.filter(status="published").first()
    html = client_a.get(f"/services/{service.national_id}/").content.decode()
    assert '<a class="back" href="/services/">فهرست خدمات</a>' in html
    assert "← فهرست خدمات" not in html
    css = (settings.BASE_DIR / "static" / "css" / "mizban.css").read_text()
    assert '[dir="rtl"] a.back::before { transform: scaleX(-1); }' in css


def test_the_request_chooser_lists_services_in_persian_digits(alpha_catalog, client_a, tenant_a):
    html = client_a.get("/requests/new/").content.decode()
    services = re.findall(r'<option value="(\d{10,11})"[^>]*>([^<]+)</option>', html)
    assert services
    for national_id, label in services:
        assert label.startswith(national_id.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))), label
        assert not re.search(r"[0-9]", label), label
