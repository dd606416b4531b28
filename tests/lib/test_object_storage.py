"""Media in S3-compatible object storage (lib/storage.py) against a real S3 server on loopback
(moto's server mode): each tenant's files under its own prefix, served only through the
product's views that check who asks, never from one tenant's host to another, and never
readable from the bucket without credentials."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from catalog.models import FormFile, Service
from lib.storage import TenantS3Storage
from tests.builders import SERVICE, applicant_post, demo_units, pdf_bytes, png_bytes, row_values
from tests.clients import host_client, signed_in

PUBLIC_GRANTEES = {"http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}


def _logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _alpha_files(admin_a) -> dict:
    """A request with a citizen's PDF, a card's form and a published logo, all made on alpha."""
    from intake.citizen.services import draft_attach, draft_save_step, draft_start, request_submit

    _, district_1, _ = demo_units()
    with schema_context("t_alpha"):
        draft = draft_start(service=Service.objects.get(national_id=SERVICE), unit=district_1)
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post())
        draft_attach(draft=draft, upload=SimpleUploadedFile("plan.pdf", pdf_bytes(4000)))
        attachment = request_submit(token=draft.token).attachments.get()
        form = FormFile(service=Service.objects.get(national_id=SERVICE), title="فرم تعهد مالک")
        form.file.save("form.png", ContentFile(png_bytes()), save=True)
    branding = {"display_name": "درگاه خدمات آلفا", "primary_color": "#6a1b9a", "accent_color": "#ad1457",
                "logo": SimpleUploadedFile("logo.png", _logo())}
    assert admin_a.post("/staff/branding/", branding).status_code == 302
    assert admin_a.post("/staff/branding/publish/").status_code == 302
    return {"attachment": attachment, "form": form}


@pytest.fixture
def alpha_files(s3_media, alpha_catalog, admin_a):
    return _alpha_files(admin_a)


def test_files_are_kept_under_the_tenants_prefix_and_served_by_its_views(alpha_files, s3_server, s3_media, admin_a, client_a):
    keys = s3_server.keys(s3_media)
    attachment, form = alpha_files["attachment"], alpha_files["form"]
    assert f"t_alpha/{attachment.file.name}" in keys and f"t_alpha/{form.file.name}" in keys
    assert any(key.startswith("t_alpha/theme/") for key in keys)
    assert all(key.startswith("t_alpha/") for key in keys), keys
    download = admin_a.get(f"/track/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes(4000)
    served_form = client_a.get(f"/services/{SERVICE}/forms/{form.pk}/")
    assert served_form.status_code == 200 and b"".join(served_form.streaming_content) == png_bytes()
    logo = client_a.get("/branding/logo.png")
    assert logo.status_code == 200 and Image.open(io.BytesIO(logo.content)).size == (300, 150)


def test_the_pdf_letterhead_draws_the_logo_from_object_storage(alpha_files, client_a, tmp_path):
    """WeasyPrint gets the logo inside the page: a file in a bucket has no path on this disk."""
    path = tmp_path / "package.pdf"
    path.write_bytes(client_a.get(f"/services/{SERVICE}/package.pdf").content)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True).stdout
    widths = [line.split()[3] for line in images.strip().splitlines()[2:]]
    assert "300" in widths, images  # the logo, beside the QR code


def test_another_tenant_cannot_reach_alphas_files_through_any_url(alpha_files, s3_media, client_b, tenant_b):
    attachment, form = alpha_files["attachment"], alpha_files["form"]
    beta_admin = signed_in(client_b, "admin@beta.test")
    before = row_values(attachment)
    for client in (host_client("beta.localhost"), beta_admin):
        for url in (f"/track/files/{attachment.pk}/", f"/services/{SERVICE}/forms/{form.pk}/", "/branding/logo.png",
                    "/branding/logo.png?draft=1", f"/media/t_alpha/{attachment.file.name}", f"/media/{attachment.file.name}"):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 404, url
            assert pdf_bytes(4000) not in body and png_bytes() not in body
    assert row_values(attachment) == before
    # Beta's storage resolves every name under t_beta/: alpha's name finds nothing, and a name
    # that climbs out of the prefix is refused before any request leaves.
    with schema_context(tenant_b.schema_name):
        assert not default_storage.exists(attachment.file.name)
        with pytest.raises(FileNotFoundError):
            default_storage.open(attachment.file.name).read()
        with pytest.raises(SuspiciousOperation):
            default_storage.open(f"../t_alpha/{attachment.file.name}")
    with schema_context("t_alpha"):
        assert default_storage.open(attachment.file.name).read() == pdf_bytes(4000)


def test_objects_are_not_readable_without_credentials(alpha_files, s3_server, s3_media):
    client = s3_server.client()
    keys = s3_server.keys(s3_media)
    assert keys
    for key in keys:
        grants = client.get_object_acl(Bucket=s3_media, Key=key)["Grants"]
        assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GRANTEES], (key, grants)
        assert requests.get(f"{s3_server.url}/{s3_media}/{key}", timeout=10).status_code == 403, key
    grants = client.get_bucket_acl(Bucket=s3_media)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GRANTEES]


def test_a_url_the_storage_makes_is_signed_and_short_lived(alpha_files, s3_server, s3_media):
    """Nothing of ours hands out object URLs (every file is streamed by a view); if code asks the
    storage for one all the same, it is signed and lives a minute, not a public link."""
    with schema_context("t_alpha"):
        name = alpha_files["attachment"].file.name
        url = default_storage.url(name)
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert urlsplit(url).path == f"/{s3_media}/t_alpha/{name}"
    assert requests.get(url, timeout=10).content == pdf_bytes(4000)
    assert requests.get(url.split("?")[0], timeout=10).status_code == 403


def test_the_prefix_follows_the_schema_in_use(s3_media):
    storage = TenantS3Storage()
    with schema_context("t_alpha"):
        assert storage.location == "t_alpha"
    with schema_context("t_beta"):
        assert storage.location == "t_beta"


def test_an_uploaded_attachment_is_deleted_from_the_bucket_with_its_draft_file(s3_media, s3_server, alpha_catalog):
    from intake.citizen.services import draft_attach, draft_detach, draft_start

    _, district_1, _ = demo_units()
    with schema_context("t_alpha"):
        draft = draft_start(service=Service.objects.get(national_id=SERVICE), unit=district_1)
        attached = draft_attach(draft=draft, upload=SimpleUploadedFile("plan.pdf", pdf_bytes()))
        assert f"t_alpha/{attached.file.name}" in s3_server.keys(s3_media)
        draft_detach(draft=draft, file_id=attached.pk)
        assert f"t_alpha/{attached.file.name}" not in s3_server.keys(s3_media)
