"""The vendor console's tenant events read as words: «راه‌اندازی شد — وضعیت: دوره آزمایشی»,
not `onboarded (— → trial)`."""

import re

from tenants.services import tenant_set_status


def _visible(html: str) -> str:
    html = re.sub(r"</?(strong|bdi|span|a|em)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_events_show_action_and_status_labels(vendor_client, tenant_b):
    tenant_set_status(tenant=tenant_b, action="suspend", actor="vendor@mizban.test")
    text = _visible(vendor_client.get("/console/tenants/beta/").content.decode())
    assert "راه‌اندازی شد" in text and "وضعیت: دوره آزمایشی" in text
    assert "تعلیق شد" in text and "وضعیت: دوره آزمایشی ← تعلیق‌شده" in text
    for raw in ("onboarded", "suspend", "trial", "→"):
        assert raw not in text, raw
