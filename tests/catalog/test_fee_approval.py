"""A fee's amount or account, or a new fee, takes effect only when a second admin approves it;
the editor shows the fee in force beside the change waiting; every step is audited."""

from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import CardAudit, FeeChange, Service
from tests.builders import user_make
from tests.clients import host_client, signed_in

SHEBA = "IR820540102680020817909002"
OTHER_SHEBA = "IR062960000000100324200001"


def _management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial), f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _card_post(fee: dict, initial=0):
    data = {
        "common_name": "", "service_types": ["G2B"], "description": "صدور مجوز نصب تابلو برای کسب‌وکارها",
        "required_documents": "پروانه کسب", "average_days": "5", "service_hours": "شنبه تا چهارشنبه",
        "visits_count": "0", "service_level": "region", "online_request": "on", "responsible_name": "کارشناس تابلو",
        "attachment_max_files": "2", "attachment_max_kb": "800", "attachment_types": "pdf,jpg",
    }
    for prefix in ("laws", "faqs", "stages", "forms"):
        data.update(_management(prefix))
    data.update(_management("fees", 1, initial))
    data.update({f"fees-0-{key}": value for key, value in fee.items()})
    return data


def _fee_state():
    with schema_context("t_alpha"):
        service = Service.objects.get(national_id="10901070000")
        return list(service.fees.values_list("amount_rial", "sheba")), list(service.fee_changes.values_list("amount_rial", "status"))


def test_a_fee_change_waits_for_a_second_admin(mirror, admin_a, tenant_a):
    user_make(email="admin2@alpha.test", role=User.Role.TENANT_ADMIN)
    second = signed_in(host_client(tenant_a.subdomain), "admin2@alpha.test")
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    url = "/staff/catalog/10901070000/"

    fee = {"title": "هزینه بررسی طرح", "amount_rial": "1000000", "sheba": SHEBA, "bank": "ملت", "order": "0"}
    page = admin_a.post(url, _card_post(fee), follow=True).content.decode()
    assert "پس از تایید مدیر سامانه دیگری اجرا می‌شود" in page and "هزینه تازه" in page
    assert _fee_state() == ([], [(1_000_000, "pending")])
    assert "تایید و اجرا</button>" not in page  # the proposer sees only «پس گرفتن»

    with schema_context("t_alpha"):
        change = FeeChange.objects.get()
    refused = admin_a.post(f"{url}fees/{change.pk}/approve/", follow=True).content.decode()
    assert "مدیر دیگری جز پیشنهاددهنده" in refused and _fee_state()[0] == []
    second.post(f"{url}fees/{change.pk}/approve/")
    assert _fee_state() == ([(1_000_000, SHEBA)], [(1_000_000, "approved")])

    with schema_context("t_alpha"):
        fee_row = Service.objects.get(national_id="10901070000").fees.get()
    edit = {**fee, "id": fee_row.pk, "service": "", "amount_rial": "1500000", "sheba": OTHER_SHEBA}
    page = admin_a.post(url, _card_post(edit, initial=1), follow=True).content.decode()
    assert "۱٬۰۰۰٬۰۰۰ ریال" in page and "۱٬۵۰۰٬۰۰۰ ریال" in page  # in force, and waiting
    assert _fee_state()[0] == [(1_000_000, SHEBA)]
    with schema_context("t_alpha"):
        change = FeeChange.objects.get(status="pending")
    second.post(f"{url}fees/{change.pk}/approve/")
    assert _fee_state()[0] == [(1_500_000, OTHER_SHEBA)]
    with schema_context("t_alpha"):
        actions = list(CardAudit.objects.filter(national_id="10901070000").values_list("action", "actor").order_by("id"))
    assert ("fee_proposed", "admin@alpha.test") in actions and actions.count(("fee_approved", "admin2@alpha.test")) == 2


def test_a_proposer_withdraws_and_beta_cannot_decide(mirror, admin_a, tenant_a, client_b):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    fee = {"title": "هزینه", "amount_rial": "5000", "sheba": SHEBA, "bank": "ملت", "order": "0"}
    admin_a.post("/staff/catalog/10901070000/", _card_post(fee))
    with schema_context("t_alpha"):
        change = FeeChange.objects.get()
    admin_b = signed_in(client_b, "admin@beta.test")
    assert admin_b.post(f"/staff/catalog/10901070000/fees/{change.pk}/approve/").status_code == 404
    assert _fee_state() == ([], [(5000, "pending")])
    admin_a.post(f"/staff/catalog/10901070000/fees/{change.pk}/reject/")
    assert _fee_state() == ([], [(5000, "rejected")])
