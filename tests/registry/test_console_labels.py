"""The vendor's registry console and billing overview name codes in Persian: service types
(«به شهروندان», not G2C), who ran a sync, Stripe's subscription statuses."""

import re

from billing.models import BillingAccount


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_registry_console_shows_type_labels_and_who_synced(mirror, vendor_client):
    text = _text(vendor_client.get("/console/registry/").content.decode())
    assert "به شهروندان" in text and "آزمون خودکار" in text
    assert not re.search(r"\bG2[CBG]\b", text)


def test_billing_overview_names_the_subscription_status(vendor_client, tenant_a):
    BillingAccount.objects.update_or_create(tenant=tenant_a, defaults={"subscription_status": "trialing"})
    text = _text(vendor_client.get("/console/billing/").content.decode())
    assert "دوره آزمایشی" in text and "trialing" not in text
