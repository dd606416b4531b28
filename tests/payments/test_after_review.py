"""A fee due after review: the wizard submits without it; once staff ask the citizen, the
granted tracking page offers «پرداخت», and the payment comes back to it with its reference."""

from django_tenants.utils import schema_context

from catalog.models import Fee, Service
from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from payments.models import Payment
from tests.clients import citizen_granted_client, host_client


def _due_after_review():
    with schema_context("t_alpha"):
        Fee.objects.filter(service=Service.objects.get(national_id="10901010100")).update(due="review")


def test_a_fee_due_after_review_is_paid_from_tracking_once_staff_ask(zarinpal_gateway, payment_gateways, wizard, admin_a):
    _due_after_review()
    assert "ثبت نهایی درخواست</button>" in wizard.client.get(wizard.url("step/6/")).content.decode()  # no payment step
    assert wizard.submit().status_code == 302
    with schema_context("t_alpha"):
        service_request = ServiceRequest.objects.get(wizard_token=wizard.token)
        fee = service_request.service.fees.get()
    staff_page = admin_a.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "پس از بررسی، به درخواست کارشناس" in staff_page and "پرداخت نشده" in staff_page

    citizen = citizen_granted_client(service_request)
    page = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "هزینه‌های پس از بررسی" in page and "کارشناس پرداخت آن را از شما می‌خواهد" in page
    response = citizen.post(f"/track/request/{service_request.pk}/pay/{fee.pk}/", follow=True)
    assert "کارشناس پس از بررسی درخواست" in response.content.decode()
    with schema_context("t_alpha"):
        assert not Payment.objects.exists()

    admin_a.post(f"/staff/requests/{service_request.pk}/accept/")
    admin_a.post(f"/staff/requests/{service_request.pk}/ask/", {"text": "هزینه صدور پروانه را پرداخت کنید."})
    response = citizen.post(f"/track/request/{service_request.pk}/pay/{fee.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(payment_gateways.url)
    with schema_context("t_alpha"):
        payment = Payment.objects.get()
    back = citizen.get(payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", ""))
    assert back["Location"].startswith(f"/track/request/{service_request.pk}/?payment=")
    page = citizen.get(back["Location"]).content.decode()
    with schema_context("t_alpha"):
        payment = Payment.objects.get()
    assert payment.status == "paid" and "تایید شد" in page and to_persian_digits(payment.reference) in page
    assert to_persian_digits(payment.reference) in admin_a.get(f"/staff/requests/{service_request.pk}/").content.decode()


def test_another_browser_or_tenant_cannot_pay_from_tracking(zarinpal_gateway, wizard, client_b):
    _due_after_review()
    wizard.submit()
    with schema_context("t_alpha"):
        service_request = ServiceRequest.objects.get(wizard_token=wizard.token)
        fee = service_request.service.fees.get()
    assert client_b.post(f"/track/request/{service_request.pk}/pay/{fee.pk}/").status_code == 404
    assert host_client("alpha.localhost").post(f"/track/request/{service_request.pk}/pay/{fee.pk}/").status_code == 404  # not granted
    with schema_context("t_alpha"):
        assert not Payment.objects.exists()
