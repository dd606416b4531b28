"""The card editor's lists (fees, laws, FAQ, stages, forms) label every field in Persian,
even for a browser that asks for English: no "Order", no "Delete"."""

import re

from django_tenants.utils import schema_context

from catalog.models import Service
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD


def test_formset_labels_are_persian(alpha_catalog, client_a):
    assert client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD}).status_code == 302
    with schema_context("t_alpha"):
        national_id = Service.objects.filter(status="published").first().national_id
    html = client_a.get(f"/staff/catalog/{national_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    labels = re.findall(r"<label for=\"id_(?:fees|laws|faqs|stages|forms)-\d+-[A-Za-z_]+\">([^<]*)</label>", html)
    assert labels, "the editor shows its lists"
    assert "حذف" in labels and "ترتیب" in labels
    assert not [label for label in labels if re.search(r"[A-Za-z]", label)]
