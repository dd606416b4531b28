"""The answer letter's attachment: the letter says «پیوست: دارد», so the citizen (after the
one-time code) and the staff who reach the request can download it from the tracking page,
the staff request page and the address printed on the letter; a stranger, another citizen,
staff out of reach and another tenant cannot."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from lib.identifiers import make_national_code
from notifications.models import SmsMessage
from tests.builders import demo_units, pdf_bytes, request_submitted_make, user_make
from tests.clients import host_client, staff_client

LETTER = {"outcome": "granted", "legal_basis": "ماده ۱۰۰ قانون شهرداری‌ها", "content": "پروانه ساختمان صادر می‌شود.",
          "objection_route": "", "notes": ""}
OTHER_MOBILE = "09127654321"


def _citizen(service_request, identity):
    """A citizen's browser after tracking `service_request` and its one-time code."""
    client = host_client("alpha.localhost")
    client.post("/track/", {"code": service_request.tracking_code, "identity": identity})
    client.post("/track/code/")
    with schema_context("t_alpha"):
        text = SmsMessage.objects.filter(purpose="otp:tracking", mobile=service_request.mobile).latest("id").text
    code = re.search(r"[۰-۹]{6}", text).group(0).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert client.post("/track/verify/", {"otp": code}).status_code == 302
    return client


@pytest.fixture
def answered(alpha_catalog):
    hq, district_1, district_2 = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    upload = SimpleUploadedFile("نقشه تاییدشده.pdf", pdf_bytes(), content_type="application/pdf")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", {**LETTER, "attachment": upload})
    return service_request, clerk, (hq, district_1, district_2)


def _url(service_request):
    return f"/track/request/{service_request.pk}/letter-attachment/"


def test_the_citizen_finds_and_downloads_it(answered):
    service_request, _clerk, _units = answered
    citizen = _citizen(service_request, service_request.national_code)
    page = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "دریافت پیوست پاسخ" in page and _url(service_request) in page
    download = citizen.get(_url(service_request))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"


def test_the_letter_gives_its_address(answered):
    service_request, clerk, _units = answered
    pdf = clerk.get(f"/staff/requests/{service_request.pk}/letter.pdf").content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    # The address may wrap at its hyphen, with the line's direction marks around the break.
    assert re.search(rf"alpha\.localhost:8000/track/request/{service_request.pk}/letter-\W*attachment/", text)


def test_staff_within_reach_find_and_download_it(answered):
    service_request, clerk, (hq, district_1, district_2) = answered
    page = clerk.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "دریافت پیوست پاسخ" in page and _url(service_request) in page
    assert clerk.get(_url(service_request)).status_code == 200
    assert staff_client(user_make(role=User.Role.TENANT_ADMIN, email="boss@alpha.test")).get(_url(service_request)).status_code == 200
    assert staff_client(user_make(role=User.Role.UNIT_MANAGER, email="m1@alpha.test", unit=district_1)).get(_url(service_request)).status_code == 200
    for role, email, unit in ((User.Role.CLERK, "clerk2@alpha.test", district_2), (User.Role.DESK_OPERATOR, "desk@alpha.test", hq)):
        assert staff_client(user_make(role=role, email=email, unit=unit)).get(_url(service_request)).status_code == 404


def test_a_stranger_and_another_citizen_are_refused(answered):
    service_request, _clerk, _units = answered
    assert host_client("alpha.localhost").get(_url(service_request)).status_code == 404
    # Another citizen, proven for their own request, is still a stranger to this one.
    other = request_submitted_make(unit=demo_units()[1], national_code=make_national_code("008457111"), mobile=OTHER_MOBILE)
    other_citizen = _citizen(other, OTHER_MOBILE)
    assert other_citizen.get(f"/track/request/{other.pk}/").status_code == 200
    assert other_citizen.get(_url(service_request)).status_code == 404


def test_another_tenant_cannot_reach_it(answered, tenant_b):
    service_request, _clerk, _units = answered
    beta_admin = staff_client(user_make(role=User.Role.TENANT_ADMIN, email="boss@beta.test", schema="t_beta"),
                              host="beta.localhost", schema="t_beta")
    assert beta_admin.get(_url(service_request)).status_code == 404
    assert host_client("beta.localhost").get(_url(service_request)).status_code == 404
