import io

import pytest
from PIL import Image

# A national code and a mobile that pass their checks.
NATIONAL_CODE = "0084575948"
MOBILE = "09121234567"


def pdf_bytes(size: int = 2000) -> bytes:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return body + b"%" + b"0" * max(0, size - len(body) - 7) + b"\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def applicant_post(**overrides) -> dict:
    data = {"applicant_kind": "natural", "national_code": NATIONAL_CODE, "first_name": "مریم", "last_name": "احمدی",
            "mobile": MOBILE, "landline": "02188776655", "email": "maryam@example.com", "address": "تهران، خیابان آزادی"}
    data.update(overrides)
    return data


class Wizard:
    """Drives the wizard through the test client, as a browser would."""

    def __init__(self, client, national_id="10901010100", schema="t_alpha"):
        self.client = client
        self.schema = schema
        self.national_id = national_id
        self.token = None

    def start(self):
        from django_tenants.utils import schema_context

        from catalog.models import Service

        with schema_context(self.schema):
            unit = Service.objects.get(national_id=self.national_id).units.order_by("order", "id").first()
        response = self.client.post("/requests/new/", {"unit": unit.pk, "service": self.national_id, "agree": "on", "choose": "1"})
        assert response.status_code == 302, response.content.decode()[:2000]
        self.token = response["Location"].split("/wizard/")[1].split("/")[0]
        return self

    def url(self, tail):
        return f"/requests/wizard/{self.token}/{tail}"

    def post_step(self, step, data=None):
        return self.client.post(self.url(f"step/{step}/"), data or {})

    def attach(self, name, content):
        from django.core.files.uploadedfile import SimpleUploadedFile

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


@pytest.fixture
def wizard(alpha_catalog, client_a):
    return Wizard(client_a)
