"""The tracking page's one-time code with the broker unreachable (the web server's REDIS_URL
points to a closed port, as when the worker and its Redis are down): the page says «پیامک شد»
only when Kavenegar (a local fake) took the message; otherwise it says the code is queued,
until when, and when to ask again, and it never goes out once the code is dead."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from notifications.models import OneTimeCode, SmsMessage
from tenants.tasks import sms_requeue_all_tenants
from lib.jalali import jalali_format as jdate
from tests.builders import NATIONAL_CODE, applicant_post
from tests.clients import host_client, Wizard
from tests.kavenegar import API_KEY, FakeKavenegar
from tests.workers import ROOT, database_url_for, free_port

HOST = "gamma.localhost"
PERSIAN_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


@pytest.fixture(scope="module")
def server_without_broker(demo_catalog_on_server, make_httpserver, tmp_path_factory):
    """gunicorn on the test database, its tasks meant for a Redis on a closed port, its SMS
    gateway the fake Kavenegar; yields (url, log path)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        REDIS_URL="redis://127.0.0.1:1/0", CELERY_TASK_ALWAYS_EAGER="0", LOG_LEVEL="WARNING",
        SMS_GATEWAY="kavenegar", KAVENEGAR_API_KEY=API_KEY, KAVENEGAR_API_BASE=make_httpserver.url_for("/").rstrip("/"),
        OTP_HOURLY_LIMIT="100",
    )
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url + "/healthz", headers={"Host": HOST}, timeout=15)
            break
        except requests.RequestException:
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.2)
    yield url, log_path
    server.terminate()
    server.wait(10)


class Citizen:
    """A browser on gamma's tracking page, through the server without a broker."""

    def __init__(self, url: str):
        self.url, self.session = url, requests.Session()
        self.session.headers["Host"] = HOST

    def post(self, path: str, data: dict | None = None) -> str:
        token = self.session.cookies.get("csrftoken") or self._token()
        response = self.session.post(self.url + path, data={**(data or {}), "csrfmiddlewaretoken": token}, allow_redirects=False)
        assert response.status_code in (200, 302), response.text[:2000]
        return response.text

    def _token(self) -> str:
        self.session.get(self.url + "/track/")
        return self.session.cookies["csrftoken"]


def _submitted(django_db_blocker, mobile: str) -> ServiceRequest:
    """A request on gamma, committed, so that the server sees it."""
    with django_db_blocker.unblock():
        wizard = Wizard(host_client(HOST), schema="t_gamma").start().fill(files=(), applicant=applicant_post(mobile=mobile))
        assert wizard.submit().status_code == 302
        with schema_context("t_gamma"):
            return ServiceRequest.objects.get(wizard_token=wizard.token)


def _code_row(django_db_blocker, tracking_code: str) -> tuple[OneTimeCode, SmsMessage]:
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        code = OneTimeCode.objects.filter(subject=tracking_code).latest("id")
        return code, SmsMessage.objects.get(pk=code.sms_message_id)


def _hhmm(moment) -> str:
    return jdate(moment, "%H:%M")


def test_gateway_and_broker_down_the_page_says_queued_and_when_to_ask_again(server_without_broker, httpserver, django_db_blocker):
    url, log_path = server_without_broker
    kavenegar = FakeKavenegar(httpserver)
    kavenegar.down = True
    service_request = _submitted(django_db_blocker, "09351110001")
    citizen = Citizen(url)
    assert "وضعیت درخواست" in citizen.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE})

    page = citizen.post("/track/code/")
    assert "پیامک شد" not in page
    code, sms = _code_row(django_db_blocker, service_request.tracking_code)
    assert (sms.status, sms.attempts, len(kavenegar.received)) == ("queued", 1, 1)  # tried once, by web itself
    retry_at = code.created_at.replace(second=0, microsecond=0) + timedelta(minutes=2 if code.created_at.second else 1)
    assert "۰۹۳۵***۰۰۰۱" in page and "هنوز پیامک نشده است: در صف ارسال است" in page
    assert f"تا ساعت {_hhmm(sms.expires_at)}" in page and f"از ساعت {_hhmm(retry_at)} رمز تازه‌ای بخواهید" in page
    assert "درخواست دوباره رمز یکبار مصرف" in page
    assert "Could not queue SMS" in log_path.read_text()  # the worker's queue could not be reached

    # Ten minutes on, Kavenegar is back, but the code is dead: the sweep marks it, never sends it.
    kavenegar.down = False
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        SmsMessage.objects.filter(pk=sms.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_db_blocker.unblock():
        sms_requeue_all_tenants.apply()  # what beat runs every five minutes
    _, sms = _code_row(django_db_blocker, service_request.tracking_code)
    assert (sms.status, sms.attempts, len(kavenegar.received)) == ("expired", 1, 1)


def test_gateway_up_broker_down_the_page_says_sent_and_the_code_works(server_without_broker, httpserver, django_db_blocker):
    url, _ = server_without_broker
    kavenegar = FakeKavenegar(httpserver)
    service_request = _submitted(django_db_blocker, "09351110002")
    citizen = Citizen(url)
    citizen.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE})

    page = citizen.post("/track/code/")
    assert "رمز یکبار مصرف به شماره" in page and "۰۹۳۵***۰۰۰۲" in page and "پیامک شد." in page
    assert "در صف ارسال" not in page
    _, sms = _code_row(django_db_blocker, service_request.tracking_code)
    assert (sms.status, len(kavenegar.received)) == ("sent", 1)
    sent = kavenegar.received[0]["form"]
    assert sent["receptor"] == "09351110002"
    code = re.search(r"\d{6}", sent["message"].translate(PERSIAN_TO_ASCII)).group(0)
    assert citizen.post("/track/verify/", {"otp": code}) == ""  # a redirect to the whole request
    assert "مشاهده کامل درخواست" in citizen.session.get(url + "/track/").text


def test_a_replaced_code_waiting_in_the_outbox_is_never_sent(server_without_broker, httpserver, django_db_blocker):
    url, _ = server_without_broker
    kavenegar = FakeKavenegar(httpserver)
    kavenegar.down = True
    service_request = _submitted(django_db_blocker, "09351110003")
    citizen = Citizen(url)
    citizen.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE})
    citizen.post("/track/code/")
    first, first_sms = _code_row(django_db_blocker, service_request.tracking_code)
    with django_db_blocker.unblock(), schema_context("t_gamma"):  # the minute the page asks for has passed
        OneTimeCode.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(minutes=2))

    kavenegar.down = False
    assert "پیامک شد." in citizen.post("/track/code/")  # the citizen asks again, as the page said
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        first_sms.refresh_from_db()
    assert first_sms.status == "expired"
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        SmsMessage.objects.filter(pk=first_sms.pk).update(created_at=first_sms.created_at - timedelta(minutes=15))
    with django_db_blocker.unblock():
        sms_requeue_all_tenants.apply()
    assert len(kavenegar.received) == 2  # the failed first try and the new code, nothing after
