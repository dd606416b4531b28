"""Effects on tenants: when a sync retires a service or changes its approved title, every
tenant's admins find a notice in their staff area (the catalogue will also flag its
entries from `national_service_changes_notify`)."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from notifications.models import StaffNotice
from registry.services import national_service_changes_notify, registry_sync
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, user_make
from tests.registry_exports import edit, sample_rows, write_csv

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus

RENAMED = "صدور مجوز حفاری و ترمیم معابر"


@pytest.fixture
def changed_run(db, sample_path, tmp_path, django_capture_on_commit_callbacks):
    registry_sync(file=str(sample_path))
    rows = edit(sample_rows(), "10901060000", title=RENAMED)
    rows = edit(rows, "10901070000", status="retired")
    rows = edit(rows, "10901080000", agency_name="شهرداری‌ها (نمونه ۲)")  # not a change tenants act on
    with django_capture_on_commit_callbacks(execute=True):  # the notice task runs after commit
        return registry_sync(file=str(write_csv(tmp_path / "edited.csv", rows)))


def _notices(tenant):
    with schema_context(tenant.schema_name):
        return list(StaffNotice.objects.values_list("recipient__email", "kind", "read_at"))


def test_every_tenant_admin_is_told_once(changed_run, tenant_a, tenant_b):
    assert _notices(tenant_a) == [("admin@alpha.test", "registry_changes", None)]
    assert _notices(tenant_b) == [("admin@beta.test", "registry_changes", None)]
    with schema_context(tenant_a.schema_name):
        payload = StaffNotice.objects.get().payload
    assert payload["renamed"] == [{"id": "10901060000", "old": "صدور مجوز حفاری معابر", "new": RENAMED}]
    assert payload["retired"] == [{"id": "10901070000", "title": "صدور مجوز نصب تابلو"}]

    # Called again (as the catalogue will), nobody is told twice.
    from tenants.models import Tenant

    serving = Tenant.objects.exclude(status__in=["provisioning", "closed"]).count()  # alpha, beta, and any tenant other tests committed
    assert national_service_changes_notify(run=changed_run) == serving
    assert len(_notices(tenant_a)) == 1 and len(_notices(tenant_b)) == 1


def test_only_admins_are_told(db, tenant_a, sample_path, tmp_path, django_capture_on_commit_callbacks):
    with schema_context(tenant_a.schema_name):
        user_make(email="clerk@alpha.test", role=User.Role.CLERK, password=None)
    registry_sync(file=str(sample_path))
    with django_capture_on_commit_callbacks(execute=True):
        registry_sync(file=str(write_csv(tmp_path / "e.csv", edit(sample_rows(), "10901070000", status="retired"))))
    assert [email for email, *_rest in _notices(tenant_a)] == ["admin@alpha.test"]


def test_a_sync_without_such_changes_tells_nobody(db, sample_path, tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registry_sync(file=str(sample_path))
        registry_sync(file=str(sample_path))
    assert _notices(tenant_a) == []


def test_the_admin_reads_it_on_the_staff_home_and_marks_it_read(changed_run, client_a):
    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    page = client_a.get("/staff/").content.decode()
    assert "تغییر در فهرست ملی خدمات" in page
    assert "«صدور مجوز حفاری معابر» ← «" + RENAMED + "»" in page
    assert "صدور مجوز نصب تابلو" in page and "منسوخ‌شده" in page

    with schema_context("t_alpha"):
        notice = StaffNotice.objects.get()
    response = client_a.post(f"/staff/notices/{notice.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert "تغییر در فهرست ملی خدمات" not in client_a.get("/staff/").content.decode()


def test_marking_read_needs_the_recipient_on_their_own_host(changed_run, tenant_a, tenant_b, client_a):
    with schema_context(tenant_b.schema_name):
        notice_b = StaffNotice.objects.get()
    anonymous = client_a.post(f"/staff/notices/{notice_b.pk}/read/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    # Another staff member's notice (same schema) is not found.
    with schema_context(tenant_a.schema_name):
        clerk = user_make(email="clerk2@alpha.test", role=User.Role.CLERK, password=None)
        foreign = StaffNotice.objects.create(recipient=clerk, kind="registry_changes", payload={}, dedupe_key="x")
    assert client_a.post(f"/staff/notices/{foreign.pk}/read/").status_code == 404
    assert client_a.get(f"/staff/notices/{foreign.pk}/read/").status_code == 405
    # alpha's session on beta's host is nobody there.
    on_b = client_a.post(f"/staff/notices/{notice_b.pk}/read/", HTTP_HOST=tenant_b.subdomain)
    assert on_b.status_code == 302 and "/accounts/login/" in on_b["Location"]
    with schema_context(tenant_b.schema_name):
        assert StaffNotice.objects.get(pk=notice_b.pk).read_at is None
    with schema_context(tenant_a.schema_name):
        assert StaffNotice.objects.get(pk=foreign.pk).read_at is None


def test_a_citizen_cannot_mark_notices(changed_run, tenant_a, client_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="citizen@alpha.test", password="Citizen-Passw0rd-1405", role=User.Role.CITIZEN)
        notice = StaffNotice.objects.get()
    client_a.post("/accounts/login/", {"login": "citizen@alpha.test", "password": "Citizen-Passw0rd-1405"})
    assert client_a.post(f"/staff/notices/{notice.pk}/read/").status_code == 403
    with schema_context(tenant_a.schema_name):
        assert StaffNotice.objects.get(pk=notice.pk).read_at is None
