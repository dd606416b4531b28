"""The vendor console's page of the last `migrate_tenants` run: vendor staff only."""

from datetime import timedelta

from django.utils import timezone

from tenants.models import MigrationRun
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, SUPERVISOR_EMAIL
from tests.clients import signed_in


def _run(**fields) -> MigrationRun:
    now = timezone.now()
    defaults = {
        "started_at": now - timedelta(seconds=40), "finished_at": now, "jobs": 4, "schemas_total": 1200,
        "schemas_current": 3, "schemas_migrated": 1196, "outcome": MigrationRun.Outcome.FAILED,
        "failures": [{"schema": "t_beta", "error": "canceling statement due to lock timeout"}],
        "paths": [
            {"migration": "intake.0015_request_note", "path": "replay", "schemas": 1196, "on": "schemas"},
            {"migration": "intake.0016_fill_notes", "path": "executor", "schemas": 1196, "on": "schemas"},
        ],
    }
    return MigrationRun.objects.create(**{**defaults, **fields})


def test_the_vendor_sees_the_last_run_its_paths_and_failures(vendor_client):
    # Runs that other tests' real `migrate_tenants` committed may be newer than these two.
    MigrationRun.objects.all().delete()
    _run(started_at=timezone.now() - timedelta(days=1), schemas_total=7, failures=[], outcome="succeeded")
    _run()
    page = vendor_client.get("/console/migrations/").content.decode()
    assert "ناموفق" in page and "۱٬۲۰۰" in page and "۱٬۱۹۶" in page
    assert "intake.0015_request_note" in page and "بازپخش دستورهای ثبت‌شده روی الگو" in page
    assert "intake.0016_fill_notes" in page and "اجرای مهاجرت برای هر طرح" in page
    assert "t_beta" in page and "lock timeout" in page
    assert 'badge suspended">ناموفق' in page and 'badge active">موفق' not in page  # the newer run, not yesterday's


def test_before_any_run_the_page_says_so(vendor_client):
    MigrationRun.objects.all().delete()
    assert "هنوز به‌روزرسانی‌ای اجرا نشده است" in vendor_client.get("/console/migrations/").content.decode()


def test_only_vendor_staff_see_it(public_client, client_a):
    _run()
    assert "/accounts/login/" in public_client.get("/console/migrations/")["Location"]
    public_client.post("/accounts/login/", {"login": SUPERVISOR_EMAIL, "password": STAFF_PASSWORD})
    assert public_client.get("/console/migrations/").status_code == 403
    # A tenant's host has no console: its admin gets a 404, never the platform's runs.
    admin = signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    response = admin.get("/console/migrations/")
    assert response.status_code == 404 and "t_beta" not in response.content.decode()
