"""The published theme reaches every surface: the portal and staff pages' header, the PDFs
(receipt, information package, answer letter) on the tenant's letterhead, the e-mails (an
HTML part with the logo and colours beside the plain text), and the 503/410 pages."""

import io
import re
import subprocess

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import User
from lib.persian import normalize_text
from tenants.services import tenant_set_status
from tests.builders import demo_units, request_submitted_make, unit_make, user_make
from tests.clients import host_client, staff_client
from tests.markup import PAYLOADS, parsed

_INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LETTER = {"outcome": "granted", "legal_basis": "ماده ۱۰۰ قانون شهرداری‌ها", "content": "پروانه ساختمان صادر می‌شود.",
          "objection_route": "", "notes": ""}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _publish(admin, **overrides):
    data = {"display_name": "درگاه خدمات آلفا", "primary_color": "#6a1b9a", "accent_color": "#ad1457",
            "address": "خیابان نمونه، پلاک ۷", "phone": "021-33334444", "hours": "شنبه تا چهارشنبه",
            "logo": SimpleUploadedFile("logo.png", _png())}
    data.update(overrides)
    assert admin.post("/staff/branding/", data).status_code == 302
    assert admin.post("/staff/branding/publish/").status_code == 302


def _pdf(pdf: bytes, tmp_path) -> tuple[str, int]:
    """The PDF's text and how many images it draws."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True).stdout.decode()
    return " ".join(normalize_text(_INVISIBLE.sub("", text)).split()), len(images.strip().splitlines()) - 2


def test_portal_and_staff_headers_carry_the_theme(admin_a, tenant_a):
    _publish(admin_a)
    for page in (host_client("alpha.localhost").get("/services/"), admin_a.get("/staff/")):
        html = page.content.decode()
        assert "<span>درگاه خدمات آلفا</span>" in html and '<img src="/branding/logo.png?v=' in html
        assert "/branding/theme.css?v=" in html
    assert "#6a1b9a" in host_client("alpha.localhost").get("/branding/theme.css").content.decode()
    footer = host_client("alpha.localhost").get("/").content.decode()
    assert "خیابان نمونه، پلاک ۷" in footer and "ساعات کار: شنبه تا چهارشنبه" in footer


def test_the_pdfs_are_on_the_tenants_letterhead(admin_a, alpha_catalog, tenant_a, tmp_path):
    _publish(admin_a)
    hq, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    receipt, images = _pdf(admin_a.get(f"/staff/requests/{service_request.pk}/receipt.pdf").content, tmp_path)
    assert "درگاه خدمات آلفا" in receipt and images >= 3  # the logo (its colours and its transparency) and the QR code
    package, images = _pdf(host_client("alpha.localhost").get("/services/10901010100/package.pdf").content, tmp_path)
    assert "درگاه خدمات آلفا" in package and images >= 2
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk.letter@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", LETTER)
    letter, images = _pdf(clerk.get(f"/staff/requests/{service_request.pk}/letter.pdf").content, tmp_path)
    assert "درگاه خدمات آلفا" in letter and "پاسخ خدمت" in letter and images >= 3


def test_a_previewing_admins_pdf_shows_the_draft_and_nobody_elses(admin_a, alpha_catalog, tenant_a, tmp_path):
    _publish(admin_a)
    admin_a.post("/staff/branding/", {"display_name": "نام آزمایشی", "primary_color": "#6a1b9a", "accent_color": "#ad1457"})
    admin_a.post("/staff/branding/preview/", {"on": "1", "page": "/"})
    package = admin_a.get("/services/10901010100/package.pdf").content
    assert "نام آزمایشی" in _pdf(package, tmp_path)[0]
    citizen = _pdf(host_client("alpha.localhost").get("/services/10901010100/package.pdf").content, tmp_path)[0]
    assert "نام آزمایشی" not in citizen and "درگاه خدمات آلفا" in citizen


def test_emails_carry_an_html_part_in_the_brand_beside_the_plain_text(admin_a, tenant_a, django_capture_on_commit_callbacks):
    _publish(admin_a, display_name=f"آلفا {PAYLOADS[1]}")
    unit = unit_make(name="ستاد", kind="headquarters")
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post("/staff/team/", {"email": "clerk.mail@alpha.test", "full_name": f"کارشناس {PAYLOADS[0]}", "role": "clerk", "unit": unit.pk})
    message = mail.outbox[-1]
    assert f"کارشناس {PAYLOADS[0]}" in message.body  # the plain text, as typed
    (html, kind), = message.alternatives
    assert kind == "text/html"
    assert "#6a1b9a" in html and "#ad1457" in html and 'src="cid:logo"' in html
    page = parsed(html)
    assert not any(tag == "script" or any(name.startswith("on") for name in attrs) for tag, attrs in page.elements)
    assert f"آلفا {PAYLOADS[1]}" in "".join(page.texts)
    raw = message.message()
    assert raw.get_content_type() == "multipart/related"
    logo = [part for part in raw.walk() if part.get("Content-ID") == "<logo>"]
    assert logo and Image.open(io.BytesIO(logo[0].get_payload(decode=True))).format == "PNG"


def test_the_503_and_410_pages_wear_the_tenants_theme(admin_a, tenant_a):
    _publish(admin_a)
    tenant_set_status(tenant=tenant_a, action="suspend", actor="test")
    response = host_client("alpha.localhost").get("/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "درگاه خدمات آلفا" in html and "/branding/theme.css?v=" in html and "/branding/logo.png?v=" in html
    # The stylesheet and logo themselves still answer, so the notice is drawn in the tenant's colours.
    assert host_client("alpha.localhost").get("/branding/theme.css").status_code == 200
    tenant_set_status(tenant=tenant_a, action="close", actor="test")
    response = host_client("alpha.localhost").get("/")
    assert response.status_code == 410 and "درگاه خدمات آلفا" in response.content.decode()


def test_the_404_page_wears_the_tenants_theme(admin_a, tenant_a):
    _publish(admin_a)
    response = host_client("alpha.localhost").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "درگاه خدمات آلفا" in html and "/branding/theme.css?v=" in html
