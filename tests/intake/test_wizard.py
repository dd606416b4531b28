"""The six steps, the final submit, the receipt: what a citizen sees, and every refusal in Persian."""

import re
import subprocess

import pytest
from django_tenants.utils import schema_context

from intake.models import ServiceRequest, WizardDraft
from tests.builders import MOBILE, NATIONAL_CODE, applicant_post, pdf_bytes, png_bytes
from tests.clients import host_client

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def _page(response) -> str:
    return response.content.decode()


def test_the_whole_wizard_gives_a_code_a_receipt_and_a_promised_date(wizard, tenant_a, django_capture_on_commit_callbacks):
    wizard.start().fill()
    review = _page(wizard.client.get(wizard.url("step/6/")))
    assert "مریم احمدی" in review and "plan.pdf" in review and "photo.png" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.submit()
    assert response.status_code == 302 and response["Location"].endswith("/receipt/")
    receipt = _page(wizard.client.get(response["Location"]))
    with schema_context(tenant_a.schema_name):
        service_request = ServiceRequest.objects.get()
        assert service_request.attachments.count() == 2 and service_request.events.get().title == "ثبت درخواست"
        assert service_request.current_stage.name == "بررسی مدارک"
    assert re.fullmatch(r"\d{16}", service_request.tracking_code)
    persian_code = service_request.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian_code in receipt and "تاریخ صدور پاسخ" in receipt and "واحد پاسخگو" in receipt
    assert "درخواست صدور پروانه برای پلاک" in receipt


def test_going_back_keeps_what_was_entered(wizard):
    wizard.start()
    wizard.post_step(1)
    wizard.post_step(2, {"text": "متن نخست"})
    wizard.post_step(4, applicant_post(first_name="رضا", national_code="123"))  # invalid, then back
    wizard.client.post(wizard.url("step/4/"), {**applicant_post(first_name="رضا"), "back": "1"})
    assert "متن نخست" in _page(wizard.client.get(wizard.url("step/2/")))
    assert 'value="رضا"' in _page(wizard.client.get(wizard.url("step/4/")))


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"national_code": "0084575949"}, "کد ملی باید ۱۰ رقم با رقم کنترل درست باشد."),
        ({"mobile": "0912"}, "شماره همراه باید به شکل ۰۹xxxxxxxxx باشد."),
        ({"first_name": ""}, "نام را وارد کنید."),
        ({"email": "not-mail"}, "پست الکترونیک درست نیست."),
        ({"landline": "abc"}, "تلفن ثابت را با پیش‌شماره و فقط با رقم بنویسید."),
        ({"applicant_kind": "legal", "company_national_id": "12345678901", "company_name": "شرکت نمونه"}, "شناسه ملی باید ۱۱ رقم با رقم کنترل درست باشد."),
        ({"applicant_kind": "legal", "company_national_id": "", "company_name": ""}, "نام شرکت را وارد کنید."),
    ],
)
def test_applicant_errors_are_persian_and_nothing_moves_on(wizard, overrides, message):
    wizard.start()
    response = wizard.post_step(4, applicant_post(**overrides))
    assert response.status_code == 200 and message in _page(response)


def test_request_text_is_required(wizard):
    wizard.start()
    assert "متن درخواست را بنویسید." in _page(wizard.post_step(2, {"text": ""}))


def test_the_rules_must_be_accepted(alpha_catalog, client_a, tenant_a):
    page = _page(client_a.post("/requests/new/", {"service": "10901010100", "choose": "1"}))
    assert "برای ادامه باید قوانین را بپذیرید." in page
    with schema_context(tenant_a.schema_name):
        assert WizardDraft.objects.count() == 0


@pytest.mark.parametrize(
    "date, message",
    [
        (("1", "1", "1410"), "تاریخ مراجعه نمی‌تواند در آینده باشد."),
        (("31", "12", "1403"), "این تاریخ در تقویم وجود ندارد."),
        (("", "5", "1404"), "روز، ماه و سال مراجعه را کامل انتخاب کنید."),
    ],
)
def test_a_bad_visit_date_is_refused(wizard, date, message):
    wizard.start()
    day, month, year = date
    page = _page(wizard.post_step(5, {"visit_date_0": day, "visit_date_1": month, "visit_date_2": year}))
    assert message in page


def test_files_are_judged_by_content_size_and_count(wizard, tenant_a):
    wizard.start()
    page = _page(wizard.attach("letter.pdf", b"this is plain text pretending to be a PDF"))
    assert "نوع «letter.pdf» پذیرفته نیست" in page
    page = _page(wizard.attach("big.pdf", pdf_bytes(900 * 1024)))
    assert "بیش از ۸۰۰ کیلوبایت" in page
    wizard.attach("a.pdf", pdf_bytes())
    wizard.attach("b.png", png_bytes())
    page = _page(wizard.attach("c.pdf", pdf_bytes()))
    assert "بیش از ۲ پرونده نمی‌توان پیوست کرد." in page
    with schema_context(tenant_a.schema_name):
        stored = [f.file.name for f in WizardDraft.objects.get().files.all()]
    # Stored under new names (a random hex and the type the content proved), never the citizen's.
    assert len(stored) == 2 and all(re.fullmatch(r"requests/[0-9a-f]{32}\.(pdf|png)", name) for name in stored)


def test_submitting_twice_returns_the_same_request(wizard, tenant_a):
    wizard.start().fill(files=())
    first = wizard.submit()
    second = wizard.submit()
    assert first["Location"] == second["Location"]
    with schema_context(tenant_a.schema_name):
        assert ServiceRequest.objects.count() == 1


def test_another_session_cannot_use_the_wizard(wizard, tenant_a):
    wizard.start().fill(files=())
    stranger = host_client(tenant_a.subdomain)
    assert stranger.post(wizard.url("submit/")).status_code == 404
    assert stranger.get(wizard.url("step/6/")).status_code == 404
    with schema_context(tenant_a.schema_name):
        assert not ServiceRequest.objects.exists()


def test_receipt_pdf_has_the_code_and_a_qr(wizard, tenant_a, tmp_path):
    wizard.start().fill(files=())
    wizard.submit()
    pdf = wizard.client.get(wizard.url("receipt.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    with schema_context(tenant_a.schema_name):
        code = ServiceRequest.objects.get().tracking_code
    digits = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert code in digits
    # The QR code, read back from the printed page, leads to the tracking page with the code.
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
    page_png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(page_png)], capture_output=True, text=True).stdout.strip()
    assert decoded == f"http://alpha.localhost:8000/track/#{code}"


def test_the_service_page_leads_into_the_wizard(alpha_catalog, client_a):
    page = _page(client_a.get("/services/10901010100/"))
    assert "/requests/new/?service=10901010100" in page
    chooser = _page(client_a.get("/requests/new/?service=10901010100"))
    assert "قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم" in chooser and "۱۰۹۰۱۰۱۰۱۰۰" in chooser


def test_unknown_values_in_the_chooser_are_refused(alpha_catalog, client_a):
    page = _page(client_a.post("/requests/new/", {"unit": "999999", "service": "10901990000", "agree": "on", "choose": "1"}))
    assert page.count('class="errorlist" role="alert"') == 2  # both choices refused at their field


def test_identifiers_match_what_the_receipt_shows(wizard, tenant_a):
    wizard.start().fill(files=())
    wizard.submit()
    with schema_context(tenant_a.schema_name):
        service_request = ServiceRequest.objects.get()
    assert (service_request.national_code, service_request.mobile) == (NATIONAL_CODE, MOBILE)
