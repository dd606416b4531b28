"""Test clients: one per host, signed in as a given user, and the citizen's paths through
the wizard, tracking and the request API, driven as a browser or an API client would."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Service
from notifications.models import SmsMessage
from tests.builders import ALPHA, NATIONAL_CODE, STAFF_PASSWORD, applicant_post, pdf_bytes, png_bytes, user_make


def host_client(host: str) -> Client:
    return Client(HTTP_HOST=host)


def tenant_url(live_server_url: str, slug: str, path: str = "/") -> str:
    """A page of tenant `slug` on the test server (tenants are subdomains of localhost)."""
    return live_server_url.replace("://localhost", f"://{slug}.localhost") + path


def signed_in(client: Client, email: str, password: str = STAFF_PASSWORD) -> Client:
    """`client` after signing in through the sign-in page, as a person does."""
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


def staff_client(user, host: str = "alpha.localhost", schema: str = ALPHA) -> Client:
    """A client on `host` with `user` signed in (without the sign-in page)."""
    client = host_client(host)
    with schema_context(schema):
        client.force_login(user)
    return client


def supervisor_client(*, province: str, email: str) -> Client:
    """A new supervisor of `province` ("" for none), signed in on the platform's host."""
    supervisor = user_make(email=email, role=User.Role.SUPERVISOR, province_code=province, schema="public")
    return staff_client(supervisor, host=settings.PLATFORM_DOMAIN, schema="public")


def citizen_granted_client(request, host: str = "alpha.localhost", schema: str = ALPHA) -> Client:
    """A citizen's browser after tracking `request` and entering the one-time code sent by SMS."""
    client = host_client(host)
    client.post("/track/", {"code": request.tracking_code, "identity": NATIONAL_CODE})
    client.post("/track/code/")
    with schema_context(schema):
        text = SmsMessage.objects.filter(purpose="otp:tracking").latest("id").text
    code = re.search(r"[۰-۹]{6}", text).group(0).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert client.post("/track/verify/", {"otp": code}).status_code == 302
    return client


def api_submit(client: Client, key: str | None = None, **data):
    """POST a request to the request API, with an Idempotency-Key when `key` is given."""
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/requests/", data, **headers)


def wizard_slot(location: str) -> int:
    """The wizard's number in its session, from the address the wizard's first page is at."""
    return int(location.split("/wizard/")[1].split("/")[0])


def wizard_token(client: Client, slot: int, *, schema: str = ALPHA) -> str:
    with schema_context(schema):  # sessions live in the tenant's schema
        return client.session["intake_wizards"][str(slot)]


class Wizard:
    """Drives the wizard through the test client, as a browser would."""

    def __init__(self, client, national_id="10901010100", schema=ALPHA):
        self.client = client
        self.schema = schema
        self.national_id = national_id
        self.slot = None

    def start(self):
        with schema_context(self.schema):
            unit = Service.objects.get(national_id=self.national_id).units.order_by("order", "id").first()
        response = self.client.post("/requests/new/", {"unit": unit.pk, "service": self.national_id, "agree": "on", "choose": "1"})
        assert response.status_code == 302, response.content.decode()[:2000]
        self.slot = wizard_slot(response["Location"])
        return self

    @property
    def token(self) -> str:
        """The wizard's token, which only the session holds (never a URL)."""
        return wizard_token(self.client, self.slot, schema=self.schema)

    def url(self, tail):
        return f"/requests/wizard/{self.slot}/{tail}"

    def post_step(self, step, data=None):
        return self.client.post(self.url(f"step/{step}/"), data or {})

    def attach(self, name, content):
        return self.client.post(self.url("attach/"), {"document": SimpleUploadedFile(name, content)}, follow=True)

    def fill(self, files=(("plan.pdf", None), ("photo.png", None)), applicant=None):
        self.post_step(1)
        assert self.post_step(2, {"text": "درخواست صدور پروانه برای پلاک ۱۲"}).status_code == 302
        for name, content in files:
            self.attach(name, content if content is not None else (pdf_bytes() if name.endswith(".pdf") else png_bytes()))
        self.post_step(3)
        assert self.post_step(4, applicant or applicant_post()).status_code == 302
        assert self.post_step(5, {}).status_code == 302
        return self

    def submit(self):
        return self.client.post(self.url("submit/"))
