"""tenant_export and tenant_import (tenants/backups.py): a round trip — export, drop the tenant,
import — gives back every row of its schema and every file, byte for byte, with its tracking
codes, events and custom domains; an archive becomes a new tenant beside the old one; refusals
change nothing. Each test works inside its own transaction on a session tenant (alpha, beta),
which the rollback gives back; files go to a bucket or folder of the test's own."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from catalog.models import Service
from tenants.backups import SEQUENCES, ArchiveRefused, schema_tables, storage_names, tenant_import, tenant_purge
from tenants.models import Domain, Tenant, TenantEvent, TrackingCode
from tenants.services import domain_add
from tests.builders import SERVICE, applicant_post, demo_units, pdf_bytes, png_bytes
from tests.clients import host_client


def _rows(schema: str) -> dict[str, tuple[int, str]]:
    """Every table of `schema`: its row count and an md5 of all its rows, each as text."""
    found = {}
    with connection.cursor() as cursor:
        for table, _columns in schema_tables(schema):
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t::text), \'\')) FROM "{schema}"."{table}" t')
            found[table] = cursor.fetchone()
    return found


def _files(schema: str) -> dict[str, str]:
    with schema_context(schema):
        return {name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in storage_names()}


def _public(tenant: Tenant) -> dict:
    return {"codes": sorted(tenant.tracking_codes.values_list("code", flat=True)),
            "events": list(tenant.events.order_by("id").values_list("action", "actor", "to_status", "created_at")),
            "tenant": Tenant.objects.filter(pk=tenant.pk).values("name", "kind", "province__code", "national_id", "phone", "status",
                                                                 "created_at").get()}


@pytest.fixture
def media_folder(settings, tmp_path):
    """Files in a folder of the test's own (TenantFileSystemStorage keeps the MEDIA_ROOT it first
    read: a new STORAGES makes Django build the storage again)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = dict(settings.STORAGES)
    return tmp_path / "media"


@pytest.fixture
def sequences_kept():
    """A test that winds the shared id sequences back (as on a fresh platform) puts them back:
    sequences are outside the test's transaction."""
    with connection.cursor() as cursor:
        saved = {}
        for sequence in SEQUENCES:
            cursor.execute(f"SELECT last_value FROM {sequence}")
            saved[sequence] = cursor.fetchone()[0]
    yield
    with connection.cursor() as cursor:
        for sequence, value in saved.items():
            cursor.execute(f"SELECT setval(%s, greatest(%s, (SELECT last_value FROM {sequence})))", [sequence, value])


def _alpha_with_everything(admin_a):
    from intake.citizen.services import draft_attach, draft_save_step, draft_start, request_submit

    _, district_1, _ = demo_units()
    with schema_context("t_alpha"):
        draft = draft_start(service=Service.objects.get(national_id=SERVICE), unit=district_1)
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post())
        draft_attach(draft=draft, upload=SimpleUploadedFile("plan.pdf", pdf_bytes(5000)))
        service_request = request_submit(token=draft.token)
    assert admin_a.post("/staff/branding/", {"display_name": "درگاه آلفا", "primary_color": "#6a1b9a", "accent_color": "#ad1457",
                                             "logo": SimpleUploadedFile("logo.png", png_bytes())}).status_code == 302
    assert admin_a.post("/staff/branding/publish/").status_code == 302
    alpha = Tenant.objects.get(slug="alpha")
    domain_add(tenant=alpha, domain="khadamat.alpha-shahr.ir", verified=True, actor="vendor@mizban.test")
    return service_request, alpha


def test_export_drop_import_gives_back_every_row_and_file(s3_media, s3_server, alpha_catalog, admin_a, tmp_path, sequences_kept):
    service_request, alpha = _alpha_with_everything(admin_a)
    rows, files, public = _rows("t_alpha"), _files("t_alpha"), _public(alpha)
    assert rows["intake_request"][0] >= 1 and len(files) >= 3 and public["codes"]
    archive = tmp_path / "alpha.tar.gz"
    call_command("tenant_export", slug="alpha", output=str(archive), stdout=io.StringIO())

    tenant_purge(tenant=alpha)
    assert not Tenant.objects.filter(slug="alpha").exists() and not TrackingCode.objects.filter(code__in=public["codes"]).exists()
    assert s3_server.keys(s3_media, "t_alpha/") == []
    assert host_client("alpha.localhost").get("/").status_code == 404
    with connection.cursor() as cursor:  # the new platform's sequences have not come as far
        for sequence in SEQUENCES:
            cursor.execute("SELECT setval(%s, 1)", [sequence])

    out = io.StringIO()
    call_command("tenant_import", str(archive), stdout=out)
    assert out.getvalue().startswith("alpha (t_alpha): ")
    alpha = Tenant.objects.get(slug="alpha")
    assert _rows("t_alpha") == rows
    assert _files("t_alpha") == files
    assert _public(alpha) == public
    custom = Domain.objects.get(domain="khadamat.alpha-shahr.ir")
    assert custom.tenant == alpha and custom.is_custom and not custom.is_verified  # its DNS is checked again here
    # The restored tenant serves: the staff's sessions came back with the schema, the files through their views.
    with schema_context("t_alpha"):
        from catalog.models import Unit
        from intake.models import Attachment
        from notifications.models import SmsMessage

        attachment = Attachment.objects.get(request_id=service_request.pk)
        largest_int, largest_big = max(Unit.objects.values_list("pk", flat=True)), max(Attachment.objects.values_list("pk", flat=True))
    download = admin_a.get(f"/track/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes(5000)
    assert host_client("alpha.localhost").get("/branding/logo.png").content == _logo_served(alpha)
    with schema_context("t_alpha"):  # a new row never takes an imported id, from either shared sequence
        assert Unit.objects.create(name="واحد پس از بازگردانی", kind=demo_units()[0].kind).pk > largest_int
        assert SmsMessage.objects.create(mobile="09121234567", text="آزمون", purpose="receipt").pk > largest_big


def _logo_served(alpha) -> bytes:
    from portal_themes.models import Theme

    with schema_context(alpha.schema_name):
        return Theme.objects.get().logo.read()


def test_an_archive_becomes_a_new_tenant_beside_the_old_one(media_folder, tmp_path, tenant_b):
    with schema_context("t_beta"):
        default_storage.save("catalog/forms/a-form.png", io.BytesIO(png_bytes()))
    archive = tmp_path / "beta.tar.gz"
    call_command("tenant_export", slug="beta", output=str(archive), stdout=io.StringIO())
    summary = tenant_import(path=archive, slug="beta-copy")
    assert summary.tenant.schema_name == "t_beta_copy" and summary.tenant.kind == "dehyari" and summary.files == 1
    assert _rows("t_beta_copy") == _rows("t_beta")
    assert _files("t_beta_copy") == _files("t_beta") == {"catalog/forms/a-form.png": hashlib.sha256(png_bytes()).hexdigest()}
    assert (media_folder / "t_beta_copy" / "catalog" / "forms" / "a-form.png").read_bytes() == png_bytes()
    assert host_client("beta-copy.localhost").get("/").status_code == 200
    assert list(TenantEvent.objects.filter(tenant__slug="beta-copy").values_list("action", flat=True)) == \
        list(TenantEvent.objects.filter(tenant__slug="beta").order_by("id").values_list("action", flat=True))


def test_refusals_change_nothing(media_folder, tmp_path, tenant_b):
    archive = tmp_path / "beta.tar.gz"
    call_command("tenant_export", slug="beta", output=str(archive), stdout=io.StringIO())
    before = (_rows("t_beta"), Tenant.objects.count(), Domain.objects.count())
    with pytest.raises(CommandError, match="A tenant 'beta' exists already"):
        call_command("tenant_import", str(archive), stdout=io.StringIO())
    # An archive of another release (one migration more than here) is refused whole.
    other = tmp_path / "other-release.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(other, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append("intake.9999_from_a_later_release")
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(ArchiveRefused, match="1 only in the archive .intake.9999_from_a_later_release."):
        tenant_import(path=other, slug="beta-later")
    assert (_rows("t_beta"), Tenant.objects.count(), Domain.objects.count()) == before
    assert not Tenant.objects.filter(slug="beta-later").exists()
    with pytest.raises(CommandError, match="No tenant 'nowhere'"):
        call_command("tenant_export", slug="nowhere", output=str(tmp_path / "x.tar.gz"))


def test_replace_puts_the_archives_data_over_the_tenants(media_folder, tmp_path, tenant_b):
    archive = tmp_path / "beta.tar.gz"
    call_command("tenant_export", slug="beta", output=str(archive), stdout=io.StringIO())
    rows = _rows("t_beta")
    from accounts.models import User

    with schema_context("t_beta"):
        User.objects.create_user(email="later@beta.test", password=None, role=User.Role.CLERK)
        default_storage.save("theme/later.png", io.BytesIO(png_bytes()))
    assert _rows("t_beta") != rows
    tenant_import(path=archive, replace=True)
    assert _rows("t_beta") == rows and _files("t_beta") == {}
    assert Tenant.objects.filter(slug="beta").count() == 1
