"""A registry run that retires or renames national services reaches every tenant's cards."""

import csv

from django_tenants.utils import schema_context

from catalog.models import Service
from registry.services import national_service_changes_notify, registry_sync
from tests.registry_exports import SAMPLE_REGISTRY


def _edited_export(tmp_path):
    rows = list(csv.DictReader(SAMPLE_REGISTRY.open(encoding="utf-8")))
    for row in rows:
        if row["service_id"] == "10901060000":
            row["status"], row["updated_at"] = "retired", "2026-11-01T08:00:00+03:30"
        if row["service_id"] == "10901010300":
            row["title"], row["updated_at"] = "تمدید و اصلاح پروانه ساختمان", "2026-11-01T08:00:00+03:30"
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_retired_and_renamed_services_reach_the_cards(alpha_catalog, tenant_a, client_a, tmp_path):
    run = registry_sync(file=str(_edited_export(tmp_path)))
    assert (run.retired, run.changed) == (1, 1)
    national_service_changes_notify(run=run)
    with schema_context(tenant_a.schema_name):
        retired = Service.objects.get(national_id="10901060000")
        assert retired.status == "unpublished" and "منسوخ" in retired.status_reason
        renamed = Service.objects.get(national_id="10901010300")
        assert renamed.approved_title == "تمدید و اصلاح پروانه ساختمان" and renamed.is_published
    assert client_a.get("/services/10901060000/").status_code == 404
    assert "تمدید و اصلاح پروانه ساختمان" in client_a.get("/services/").content.decode()
    # Told twice, nothing changes twice.
    national_service_changes_notify(run=run)
    with schema_context(tenant_a.schema_name):
        assert Service.objects.get(national_id="10901010300").audits.filter(action="title_changed").count() == 1
