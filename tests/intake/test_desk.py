"""The in-person desk: an operator registers a walk-in citizen's request with the same wizard
and rules, with the citizen's consent; the request is in person, names the operator, and is in
the operator's reach; its receipt prints; a clerk cannot use the desk."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from tests.builders import demo_units, user_make
from tests.clients import staff_client, Wizard, wizard_slot


class DeskWizard(Wizard):
    """The same wizard, started from the desk page."""

    def start(self, consent=True):
        from catalog.models import Service

        with schema_context(self.schema):
            unit = Service.objects.get(national_id=self.national_id).units.order_by("order", "id").first()
        data = {"unit": unit.pk, "service": self.national_id, "agree": "on", "choose": "1"}
        if consent:
            data["consent"] = "on"
        response = self.client.post("/staff/requests/desk/", data)
        if response.status_code == 302:
            self.slot = wizard_slot(response["Location"])
        return response


@pytest.fixture
def operator(alpha_catalog):
    hq, _, _ = demo_units()
    user = user_make(role=User.Role.DESK_OPERATOR, email="desk@alpha.test", unit=hq, full_name="متصدی میز")
    return user, staff_client(user)


def test_the_operator_registers_a_walk_in_request_end_to_end(operator):
    user, client = operator
    page = client.get("/staff/requests/desk/").content.decode()
    assert "میز خدمت حضوری" in page and "رضایت متقاضی" in page
    desk = DeskWizard(client)
    assert desk.start().status_code == 302
    desk.fill()
    assert desk.submit()["Location"].endswith("/receipt/")
    receipt = client.get(desk.url("receipt/")).content.decode()
    assert "کد رهگیری" in receipt and "دریافت رسید (PDF)" in receipt
    pdf = client.get(desk.url("receipt.pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with schema_context("t_alpha"):
        service_request = ServiceRequest.objects.get(wizard_token=desk.token)
        assert service_request.channel == ServiceRequest.Channel.IN_PERSON and service_request.assisted_by == "desk@alpha.test"
        assert service_request.applicant_consent_at is not None and service_request.citizen is None
        assert service_request.attachments.count() == 2 and service_request.events.get().actor == "desk@alpha.test"
    queue = client.get("/staff/requests/").content.decode()
    assert to_persian_digits(service_request.tracking_code) in queue
    detail = client.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "حضوری" in detail and "رضایت متقاضی ثبت شد" in detail
    again = client.get(f"/staff/requests/{service_request.pk}/receipt.pdf")
    assert again.status_code == 200 and again.content.startswith(b"%PDF")


def test_without_consent_nothing_starts(operator):
    _, client = operator
    response = DeskWizard(client).start(consent=False)
    assert response.status_code == 200
    assert "رضایت متقاضی برای ثبت درخواست به نیابت از او لازم است." in response.content.decode()


def test_the_same_rules_apply_at_the_desk(operator):
    _, client = operator
    desk = DeskWizard(client)
    desk.start()
    desk.post_step(1)
    desk.post_step(2, {"text": "درخواست"})
    desk.post_step(3)
    page = desk.post_step(4, {"national_code": "1234567890", "first_name": "مریم", "last_name": "احمدی", "mobile": "09121234567"})
    assert page.status_code == 200 and "errorlist" in page.content.decode()


def test_a_clerk_cannot_use_the_desk(alpha_catalog):
    _, district_1, _ = demo_units()
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    assert clerk.get("/staff/requests/desk/").status_code == 403
    assert DeskWizard(clerk).start().status_code == 403
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.exists()


def test_an_admin_may_use_the_desk(alpha_catalog):
    admin = staff_client(user_make(role=User.Role.TENANT_ADMIN, email="boss@alpha.test"))
    desk = DeskWizard(admin)
    assert desk.start().status_code == 302
    desk.fill().submit()
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.get(wizard_token=desk.token).assisted_by == "boss@alpha.test"


def test_another_operators_walk_in_is_out_of_reach(operator):
    _, client = operator
    desk = DeskWizard(client)
    desk.start()
    desk.fill().submit()
    hq, _, _ = demo_units()
    other = staff_client(user_make(role=User.Role.DESK_OPERATOR, email="desk2@alpha.test", unit=hq))
    with schema_context("t_alpha"):
        pk = ServiceRequest.objects.get(wizard_token=desk.token).pk
    assert other.get(f"/staff/requests/{pk}/").status_code == 404
    assert other.get(f"/staff/requests/{pk}/receipt.pdf").status_code == 404
