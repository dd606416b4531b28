"""The public verification page (reached from the QR code on the paper letter): it shows what
the letter says (number, Jalali date, addressee, subject, body) so that anyone can compare it
with the paper; never the national or tracking code; nothing at all for an unknown address or
on another tenant's host."""

import jdatetime
import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import AnswerLetter
from lib.persian import to_persian_digits
from tests.builders import demo_units, request_submitted_make, user_make
from tests.clients import host_client, staff_client

LETTER = {"outcome": "granted", "legal_basis": "ماده ۱۰۰ قانون شهرداری‌ها", "content": "پروانه ساختمان پلاک ۱۲ صادر می‌شود.",
          "objection_route": "", "notes": "اعتبار پروانه یک سال است."}


@pytest.fixture
def letter(alpha_catalog):
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", LETTER)
    with schema_context("t_alpha"):
        return AnswerLetter.objects.select_related("request__service").get(request_id=service_request.pk)


def test_the_page_shows_what_the_paper_says(letter):
    response = host_client("alpha.localhost").get(f"/letters/verify/{letter.public_id}/")
    page = response.content.decode()
    jalali = jdatetime.date.fromgregorian(date=letter.issued_on).strftime("%Y/%m/%d")
    assert response.status_code == 200 and "معتبر" in page
    assert to_persian_digits(letter.number) in page and to_persian_digits(jalali) in page
    assert "گیرنده (ارباب رجوع)" in page and "مریم احمدی" in page
    assert "موضوع" in page and letter.request.service.approved_title in page
    assert "پروانه ساختمان پلاک ۱۲ صادر می‌شود." in page and "ماده ۱۰۰ قانون شهرداری‌ها" in page
    assert "اعتبار پروانه یک سال است." in page and letter.content_hash in page
    # What would open the citizen's tracking is not there, in either kind of digits.
    for secret in (letter.national_code, letter.request.tracking_code):
        assert secret not in page and to_persian_digits(secret) not in page
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]


def test_an_unknown_address_shows_nothing(letter):
    response = host_client("alpha.localhost").get(f"/letters/verify/{letter.public_id[:-2]}xx/")
    page = response.content.decode()
    assert response.status_code == 404 and "نامعتبر" in page
    assert "مریم" not in page and "پروانه ساختمان" not in page and to_persian_digits(letter.number) not in page


def test_another_tenant_cannot_show_the_letter(letter):
    response = host_client("beta.localhost").get(f"/letters/verify/{letter.public_id}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "مریم" not in page and "پروانه ساختمان" not in page and letter.content_hash not in page
