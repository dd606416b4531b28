"""No log line holds a tracking code, a national code or a one-time code. A real server
(gunicorn with the repository's gunicorn.conf.py, its access log on) serves the flows that
handle them — a submit, a tracking look-up with its one-time code, a citizen's sign-in by SMS
code, the staff queue's search by tracking and national code, a hand-made URL carrying codes
and a survey link — with everything it logs captured in a file; the file is then searched for
each code, mobile number and survey token used, in Latin and Persian digits. The console SMS gateway, the developer's phone, prints on
standard output, which is kept apart."""

from __future__ import annotations

import os
import random
import re
import secrets
import subprocess
import sys
import time
import uuid

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from lib.identifiers import make_national_code
from lib.persian import to_ascii_digits, to_persian_digits
from notifications.models import SmsMessage
from tests.builders import STAFF_PASSWORD, request_api_post, user_make
from tests.workers import ROOT, database_url_for, free_port

HOST = "gamma.localhost"


@pytest.fixture(scope="module")
def logging_server(demo_catalog_on_server, tmp_path_factory):
    """gunicorn on the test database with its access log and the application's log in one
    file, and standard output (the console SMS gateway) in another; yields (url, log, phone)."""
    folder = tmp_path_factory.mktemp("logs")
    log_path, phone_path, port = folder / "server.log", folder / "phone.txt", free_port()
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
               LOG_LEVEL="INFO", SMS_GATEWAY="console", PLATFORM_PORT=str(port))
    with open(log_path, "a") as log, open(phone_path, "w") as phone:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
             "--access-logfile", str(log_path), "--log-level", "info"],
            cwd=ROOT, env=env, stdout=phone, stderr=log,
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
    yield url, log_path, phone_path
    server.terminate()
    server.wait(10)


class Browser:
    def __init__(self, url: str):
        self.url, self.session = url, requests.Session()
        self.session.headers["Host"] = HOST

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.url + path, params=params, allow_redirects=False, timeout=60)

    def post(self, path: str, data: dict | None = None) -> requests.Response:
        if "csrftoken" not in self.session.cookies:
            self.get("/track/")
        data = {**(data or {}), "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        response = self.session.post(self.url + path, data=data, allow_redirects=False, timeout=60)
        assert response.status_code in (200, 302), (path, response.status_code, response.text[:1500])
        return response


def _last_code(mobile: str, purpose: str, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        text = SmsMessage.objects.filter(mobile=mobile, purpose=purpose).latest("id").text
    return re.search(r"\d{6}", to_ascii_digits(text)).group()


def test_the_flows_that_handle_codes_log_none_of_them(logging_server, django_db_blocker):
    url, log_path, phone_path = logging_server
    national_code = make_national_code(f"{random.randrange(10**8, 10**9)}")
    mobile = f"0935{random.randrange(10**7):07d}"
    citizen_mobile = f"0936{random.randrange(10**7):07d}"
    staff_email = f"logs-{uuid.uuid4().hex[:8]}@gamma.test"
    with django_db_blocker.unblock():
        user_make(email=staff_email, role=User.Role.TENANT_ADMIN, schema="t_gamma")
    codes: list[str] = [national_code, mobile, citizen_mobile]

    # A submit through the API.
    submitted = requests.post(url + "/api/requests/", headers={"Host": HOST, "Idempotency-Key": str(uuid.uuid4())},
                              data=request_api_post(national_code=national_code, mobile=mobile), timeout=60)
    assert submitted.status_code == 201, submitted.text[:1500]
    tracking_code = submitted.json()["tracking_code"]
    codes.append(tracking_code)

    # The tracking page: the look-up, its one-time code, the whole request.
    citizen = Browser(url)
    assert "بررسی مدارک" in citizen.post("/track/", {"code": tracking_code, "identity": national_code}).text
    citizen.post("/track/code/")
    tracking_otp = _last_code(mobile, "otp:tracking", django_db_blocker)
    codes.append(tracking_otp)
    assert citizen.post("/track/verify/", {"otp": tracking_otp}).status_code == 302
    assert "مریم" in citizen.get("/track/request/").text

    # A citizen's sign-in by SMS code.
    signing_in = Browser(url)
    signing_in.post("/accounts/login/code/", {"phone": citizen_mobile})
    login_code = _last_code(citizen_mobile, "login_code", django_db_blocker)
    codes.append(login_code)
    assert signing_in.post("/accounts/login/code/confirm/", {"code": login_code}).headers["Location"] == "/my/requests/"

    # The staff queue's search, by tracking code and by national code: it still finds the request.
    staff = Browser(url)
    assert staff.post("/accounts/login/", {"login": staff_email, "password": STAFF_PASSWORD}).status_code == 302
    for query in (tracking_code, national_code, to_persian_digits(national_code)):
        found = staff.get("/staff/requests/", q=query)
        assert found.status_code == 200 and to_persian_digits(tracking_code) in found.text
        assert f'value="{query}"' in found.text  # the search box keeps what was typed

    # Codes typed into URLs by hand, and a 404 whose path holds one.
    Browser(url).get("/track/", code=tracking_code, identity=national_code, otp=tracking_otp)
    Browser(url).get(f"/track/request/{tracking_code}/")
    # A survey link (its token opens the survey to whoever holds it); a mistyped one is logged as well.
    survey_token = secrets.token_urlsafe(18)
    codes.append(survey_token)
    Browser(url).get(f"/survey/{survey_token}/")

    # The server has written what it logs (its access log is flushed per line).
    deadline = time.monotonic() + 30
    while "/staff/requests/?q=" not in log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = log_path.read_text()
    assert "POST /track/verify/" in log and "GET /staff/requests/?q=" in log and "/accounts/login/code/confirm/" in log
    leaked = [code for code in codes for form in (code, to_persian_digits(code)) if form in log]
    assert leaked == [], f"codes in the log: {leaked}\n{log[-3000:]}"
    # The phone got them: the flows did send the codes that the log does not hold.
    phone = phone_path.read_text()
    assert to_persian_digits(tracking_otp) in phone and to_persian_digits(login_code) in phone

    with django_db_blocker.unblock(), schema_context("t_gamma"):
        User.objects.filter(email=staff_email).delete()
        User.objects.filter(mobile=citizen_mobile).delete()
