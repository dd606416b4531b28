"""The audit page (/staff/audit/) reads as words: what was done, which field, from what to
what, with Persian labels and digits; no codes, no Python dicts, no BPMN XML."""

import re

from django_tenants.utils import schema_context

from catalog.models import Service
from catalog.services import service_update
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, unit_make


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"</?(strong|bdi|span|a|em)\b[^>]*>", "", html)  # inline: no space added
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _sign_in(client):
    assert client.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD}).status_code == 302


def test_card_and_team_changes_read_as_labels_and_words(alpha_catalog, client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.filter(status="published").first()
        Service.objects.filter(pk=service.pk).update(service_level="headquarters", attachment_max_files=2)
        service.refresh_from_db()
        district = unit_make(name="شهرداری منطقه 12", kind="district")

        def save():
            Service.objects.filter(pk=service.pk).update(
                service_level="region", attachment_max_files=3,
                bpmn_external=service.bpmn_external.replace("</bpmn:definitions>", "<!-- تازه --></bpmn:definitions>"),
            )

        service_update(service=service, actor="admin@alpha.test", save=save)
    _sign_in(client_a)
    client_a.post("/staff/team/", {"email": "c7@alpha.test", "full_name": "کارشناس هفت", "role": "clerk", "unit": district.pk})
    with schema_context(tenant_a.schema_name):
        from accounts.models import User

        clerk = User.objects.get(email="c7@alpha.test")
    client_a.post(f"/staff/team/{clerk.pk}/", {"role": "unit_manager", "unit": district.pk})

    text = _visible(client_a.get("/staff/audit/").content.decode())
    # The card: action, field's name, choice labels, Persian digits, the diagram summarised.
    assert "ویرایش شد" in text
    assert "سطح ارائه خدمت: ستاد ← منطقه" in text
    assert "بیشترین شمار پیوست: ۲ ← ۳" in text
    assert "نمودار فرایند بیرونی تغییر کرد" in text
    # The team: invited and changed in words, the role's label, the unit with Persian digits.
    assert "دعوت شد" in text and "تغییر کرد" in text
    assert "نقش: کارشناس ← مدیر واحد" in text
    assert "دسترسی فعال: بله ← خیر" in text
    assert "شهرداری منطقه ۱۲" in text
    for raw in ("headquarters", "region", "edited", "invited", "changed", "unit_manager", "clerk",
                "<?xml", "bpmn:", "{'", "True", "False", "service_level", "seed_demo"):
        assert raw not in text, raw
