"""Tracking: code plus national ID or mobile shows the stages; a one-time code opens the rest.
Look-ups are POSTed, rate-limited, and a wrong pair says only "not found"."""

import re

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import ServiceRequest
from notifications.models import SmsMessage
from tests.builders import MOBILE, NATIONAL_CODE, user_make
from tests.clients import host_client, Wizard

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus

NOT_FOUND = "درخواستی با این کد رهگیری و این کد ملی یا شماره همراه یافت نشد."


@pytest.fixture
def service_request(alpha_catalog, client_a, tenant_a):
    Wizard(client_a).start().fill().submit()
    with schema_context(tenant_a.schema_name):
        return ServiceRequest.objects.get()


def _track(client, code, identity):
    return client.post("/track/", {"code": code, "identity": identity})


def test_code_and_national_id_show_the_stages(service_request, tenant_a):
    page = _track(host_client(tenant_a.subdomain), service_request.tracking_code, NATIONAL_CODE).content.decode()
    assert "بررسی مدارک" in page and "مرحله کنونی" in page and "ثبت درخواست" in page
    assert "تاریخ وعده پاسخ" in page and "دیرکرد" not in page


def test_code_and_mobile_in_persian_digits_work_too(service_request, tenant_a):
    persian_mobile = MOBILE.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert "بررسی مدارک" in _track(host_client(tenant_a.subdomain), service_request.tracking_code, persian_mobile).content.decode()


def test_a_wrong_pair_says_only_not_found(service_request, tenant_a):
    page = _track(host_client(tenant_a.subdomain), service_request.tracking_code, "0499370899").content.decode()
    assert NOT_FOUND in page and "بررسی مدارک" not in page


def test_a_mistyped_code_is_recognised(service_request, tenant_a):
    code = service_request.tracking_code
    wrong = code[:3] + str((int(code[3]) + 1) % 10) + code[4:]
    page = _track(host_client(tenant_a.subdomain), wrong, NATIONAL_CODE).content.decode()
    assert "این کد درست نیست" in page


def test_looking_up_by_url_does_nothing(service_request, tenant_a):
    page = host_client(tenant_a.subdomain).get("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE}).content.decode()
    assert "بررسی مدارک" not in page


def test_guessing_one_code_is_rate_limited(service_request, tenant_a):
    client = host_client(tenant_a.subdomain)
    statuses = [_track(client, service_request.tracking_code, f"00{i:08d}").status_code for i in range(10)]
    assert set(statuses) == {200}
    blocked = _track(client, service_request.tracking_code, NATIONAL_CODE)
    assert blocked.status_code == 429 and "بیش از اندازه" in blocked.content.decode()


def test_ten_wrong_identities_do_not_lock_the_owner_out(service_request, tenant_a, django_capture_on_commit_callbacks):
    """Someone who knows a code fails on purpose from their address; the owner, from theirs,
    still finds the request and opens it with the one-time code."""
    attacker = host_client(tenant_a.subdomain)
    statuses = [attacker.post("/track/", {"code": service_request.tracking_code, "identity": f"00{i:08d}"}, REMOTE_ADDR="198.51.100.7").status_code
                for i in range(11)]
    assert statuses == [200] * 10 + [429]
    owner = host_client(tenant_a.subdomain)
    found = owner.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE}, REMOTE_ADDR="203.0.113.20")
    assert found.status_code == 200 and "بررسی مدارک" in found.content.decode()
    owner.post("/track/code/", REMOTE_ADDR="203.0.113.20")
    with schema_context(tenant_a.schema_name):
        text = SmsMessage.objects.filter(purpose="otp:tracking").latest("id").text
    code = re.search(r"[۰-۹]{6}", text).group(0).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert owner.post("/track/verify/", {"otp": code}, REMOTE_ADDR="203.0.113.20").status_code == 302
    assert "مریم احمدی" in owner.get("/track/request/").content.decode()


def test_one_time_code_opens_the_request_and_its_files(service_request, tenant_a, django_capture_on_commit_callbacks):
    client = host_client(tenant_a.subdomain)
    _track(client, service_request.tracking_code, NATIONAL_CODE)
    with schema_context(tenant_a.schema_name):
        attachment = service_request.attachments.first()
    assert client.get(f"/track/files/{attachment.pk}/").status_code == 404
    assert client.get("/track/request/").status_code == 403
    sent = client.post("/track/code/").content.decode()
    assert "رمز یکبار مصرف به شماره" in sent and "۰۹۱۲***۴۵۶۷" in sent
    with schema_context(tenant_a.schema_name):
        text = SmsMessage.objects.filter(purpose="otp:tracking").latest("id").text
    code = re.search(r"[۰-۹]{6}", text).group(0).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    granted = client.post("/track/verify/", {"otp": code})
    assert granted.status_code == 302
    detail = client.get("/track/request/").content.decode()
    assert "plan.pdf" in detail and "مریم احمدی" in detail
    download = client.get(f"/track/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith((b"%PDF", b"\x89PNG"))
    # The code was single use.
    assert client.post("/track/verify/", {"otp": code}).status_code == 200


def test_a_wrong_one_time_code_is_refused(service_request, tenant_a):
    client = host_client(tenant_a.subdomain)
    _track(client, service_request.tracking_code, NATIONAL_CODE)
    client.post("/track/code/")
    page = client.post("/track/verify/", {"otp": "12"}).content.decode()
    assert "رمز یکبار مصرف درست نیست یا منقضی شده است." in page
    assert client.get("/track/request/").status_code == 403


def test_requests_of_alpha_cannot_be_tracked_on_beta(service_request, tenant_a, tenant_b):
    page = _track(host_client(tenant_b.subdomain), service_request.tracking_code, NATIONAL_CODE).content.decode()
    assert NOT_FOUND in page
    with schema_context(tenant_a.schema_name):
        attachment_id = service_request.attachments.first().pk
    assert host_client(tenant_b.subdomain).get(f"/track/files/{attachment_id}/").status_code == 404


def test_the_platform_home_forwards_a_code_to_its_tenant(service_request, public_client):
    response = public_client.post("/track/", {"code": service_request.tracking_code})
    assert response.status_code == 302
    assert response["Location"] == f"http://alpha.localhost:8000/track/#{service_request.tracking_code}"
    mistyped = public_client.post("/track/", {"code": "1234"}, follow=True).content.decode()
    assert "این کد درست نیست" in mistyped


def test_a_signed_in_citizen_sees_their_requests(service_request, tenant_a):
    client = host_client(tenant_a.subdomain)
    with schema_context(tenant_a.schema_name):
        citizen = user_make(email=None, role=User.Role.CITIZEN, mobile=MOBILE, mobile_verified=True, password=None)
        client.force_login(citizen)
    page = client.get("/my/requests/").content.decode()
    assert service_request.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
    assert client.get(f"/track/request/{service_request.pk}/").status_code == 200
    with schema_context(tenant_a.schema_name):
        other = user_make(email=None, role=User.Role.CITIZEN, mobile="09351112233", mobile_verified=True, password=None)
        client.force_login(other)
    assert client.get(f"/track/request/{service_request.pk}/").status_code == 404
