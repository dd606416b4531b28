"""A card's forms (فرم‌ها): only PDF, JPG and PNG, proved by their content as requests' documents
are, stored under a random name; served from the card's public page by a view of the tenant's
own host, always as a download, with nosniff."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from catalog.models import FormFile, Service
from tests.builders import pdf_bytes, png_bytes

SERVICE = "10901010100"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _card_post(name: str, content: bytes) -> dict:
    data = {
        "common_name": "", "service_types": ["G2B"], "description": "صدور مجوز نصب تابلو برای کسب‌وکارها",
        "required_documents": "پروانه کسب", "average_days": "5", "service_hours": "شنبه تا چهارشنبه",
        "visits_count": "0", "service_level": "region", "online_request": "on", "responsible_name": "کارشناس تابلو",
        "attachment_max_files": "2", "attachment_max_kb": "800", "attachment_types": "pdf,jpg",
    }
    for prefix in ("fees", "laws", "faqs", "stages"):
        data.update(_management(prefix))
    data.update(_management("forms", 1))
    data.update({"forms-0-title": "فرم درخواست تابلو", "forms-0-file": SimpleUploadedFile(name, content)})
    return data


def _form_make(tenant, content: bytes = None, name: str = "form.pdf", title: str = "فرم تعهد مالک") -> FormFile:
    with schema_context(tenant.schema_name):
        form = FormFile(service=Service.objects.get(national_id=SERVICE), title=title)
        form.file.save(name, ContentFile(content if content is not None else pdf_bytes()), save=True)
        return form


def test_an_html_form_is_refused_at_its_field_and_nothing_is_saved(mirror, admin_a, tenant_a):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    for name in ("form.html", "form.pdf"):  # the name is not what is judged
        page = admin_a.post("/staff/catalog/10901070000/", _card_post(name, HTML)).content.decode()
        assert f"نوع «{name}» پذیرفته نیست؛ فقط JPG، PDF، PNG." in page
    with schema_context(tenant_a.schema_name):
        assert not FormFile.objects.exists()


def test_a_pdf_form_is_stored_under_a_random_name(mirror, admin_a, tenant_a):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    assert admin_a.post("/staff/catalog/10901070000/", _card_post("<b>فرم</b>.pdf", pdf_bytes())).status_code == 302
    with schema_context(tenant_a.schema_name):
        stored = FormFile.objects.get()
        assert re.fullmatch(r"catalog/forms/[0-9a-f]{32}\.pdf", stored.file.name) and stored.title == "فرم درخواست تابلو"


def test_the_card_pages_link_downloads_the_form(alpha_catalog, client_a, tenant_a):
    form = _form_make(tenant_a, png_bytes(), name="x.png")
    card = client_a.get(f"/services/{SERVICE}/card/").content.decode()
    (link,) = re.findall(r'<a href="([^"]+)" download>فرم تعهد مالک</a>', card)
    assert link == f"/services/{SERVICE}/forms/{form.pk}/"
    response = client_a.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;") and ".png" in response["Content-Disposition"]


def test_a_stored_html_form_is_still_only_a_download(alpha_catalog, client_a, tenant_a):
    """One stored before the check (the attack's `.html`) is never served as a page."""
    form = _form_make(tenant_a, HTML, name="evil.html")
    response = client_a.get(f"/services/{SERVICE}/forms/{form.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_tenants_host_does_not_serve_the_form(alpha_catalog, client_a, client_b, tenant_a, tenant_b):
    form = _form_make(tenant_a)
    assert client_b.get(f"/services/{SERVICE}/forms/{form.pk}/").status_code == 404
    assert client_a.get(f"/services/{SERVICE}/forms/{form.pk}/").status_code == 200
    with schema_context(tenant_b.schema_name):
        assert not FormFile.objects.exists()


def test_an_unpublished_card_or_another_cards_form_is_not_found(alpha_catalog, client_a, tenant_a):
    form = _form_make(tenant_a)
    assert client_a.get(f"/services/10901010200/forms/{form.pk}/").status_code == 404
    assert client_a.get(f"/services/{SERVICE}/forms/{form.pk + 1000}/").status_code == 404
    with schema_context(tenant_a.schema_name):
        Service.objects.filter(national_id=SERVICE).update(status="draft")
    assert client_a.get(f"/services/{SERVICE}/forms/{form.pk}/").status_code == 404
