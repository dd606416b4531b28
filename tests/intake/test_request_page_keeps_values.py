"""The staff request page after a refused action: the page comes back (not a redirect) with
every value typed in the refused form, and names the file to choose again."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.models import Inquiry
from lib.jalali import jalali_format
from tests.builders import pdf_bytes


def test_a_refused_inquiry_keeps_what_was_typed_and_names_its_file(case_accepted):
    service_request, clerk = case_accepted
    response = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {
        "body": "اداره ثبت اسناد و املاک", "letter_text": "وضعیت ثبتی پلاک ۱۲ را اعلام فرمایید.",
        "sent_on": "۱۴۰۳/۱۳/۴۰", "due_on": "۱۴۰۳/۰۵/۱۰",
        "letter_file": SimpleUploadedFile("nameh-estelam.pdf", pdf_bytes(), content_type="application/pdf"),
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "تاریخ ارسال و مهلت پاسخ را به تاریخ خورشیدی بنویسید" in page
    assert 'name="body" value="اداره ثبت اسناد و املاک"' in page
    assert ">وضعیت ثبتی پلاک ۱۲ را اعلام فرمایید.</textarea>" in page
    assert 'name="sent_on" value="۱۴۰۳/۱۳/۴۰"' in page and 'name="due_on" value="۱۴۰۳/۰۵/۱۰"' in page
    assert "پرونده «nameh-estelam.pdf» را دوباره انتخاب کنید." in page
    with schema_context("t_alpha"):
        assert not Inquiry.objects.filter(request_id=service_request.pk).exists()


def test_a_refused_inquiry_reply_keeps_its_text_in_its_own_form(case_accepted):
    service_request, clerk = case_accepted
    today = timezone.localdate()
    for body in ("اداره ثبت اسناد", "اداره برق"):
        clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {"body": body, "letter_text": "استعلام", "sent_on": jalali_format(today), "due_on": jalali_format(today)})
    with schema_context("t_alpha"):
        first, second = Inquiry.objects.filter(request_id=service_request.pk).order_by("id")
    # A reply dated before the inquiry was sent is refused by the service.
    response = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/{second.pk}/reply/", {
        "replied_on": jalali_format(today - timezone.timedelta(days=2)), "reply_text": "انشعاب برق بی‌مانع است.",
    })
    page = response.content.decode()
    assert response.status_code == 400 and "تاریخ پاسخ پیش از تاریخ ارسال است." in page
    assert f'id="reply-on-{second.pk}" name="replied_on" value="{jalali_format(today - timezone.timedelta(days=2))}"' in page
    assert f'id="reply-text-{second.pk}" name="reply_text" rows="2">انشعاب برق بی‌مانع است.</textarea>' in page
    # The other inquiry's reply form stays empty.
    assert f'id="reply-on-{first.pk}" name="replied_on" inputmode' in page
    assert f'id="reply-text-{first.pk}" name="reply_text" rows="2"></textarea>' in page


def test_a_refused_letter_keeps_every_field_and_names_its_attachment(case_accepted):
    service_request, clerk = case_accepted
    response = clerk.post(f"/staff/requests/{service_request.pk}/letter/", {
        "outcome": "rejected", "legal_basis": "ماده ۱۰۰", "content": "پروانه صادر نمی‌شود.", "objection_route": "",
        "objection_days": "۱۰", "notes": "رونوشت به شهرسازی",
        "attachment": SimpleUploadedFile("pasokh.pdf", pdf_bytes(), content_type="application/pdf"),
    })
    page = response.content.decode()
    assert response.status_code == 400 and "برای رد درخواست، مرجع و مهلت اعتراض را بنویسید." in page
    assert 'value="rejected" checked' in page and 'value="granted" required checked' not in page
    for kept in (">ماده ۱۰۰</textarea>", ">پروانه صادر نمی‌شود.</textarea>", 'value="۱۰"', ">رونوشت به شهرسازی</textarea>"):
        assert kept in page
    assert "پرونده «pasokh.pdf» را دوباره انتخاب کنید." in page
