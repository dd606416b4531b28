"""A tenant admin's team page: invite with a role and a unit, change, deactivate; every change
is in the audit page; only admins get there; another tenant's admin sees none of it."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import RoleAudit, User
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, unit_make, user_make

def _sign_in(client, email, password=STAFF_PASSWORD):
    assert client.post("/accounts/login/", {"login": email, "password": password}).status_code == 302


@pytest.fixture
def district(tenant_a):
    with schema_context(tenant_a.schema_name):
        return unit_make(name="شهرداری منطقه ۳", kind="district")


def test_admin_invites_a_clerk_into_a_unit(client_a, tenant_a, district, django_capture_on_commit_callbacks):
    _sign_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/staff/team/", {"email": "Clerk3@Alpha.test", "full_name": "کارشناس منطقه سه", "role": "clerk", "unit": district.pk})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["clerk3@alpha.test"] and "/accounts/password/reset/key/" in mail.outbox[-1].body
    page = client_a.get("/staff/team/").content.decode()
    assert "کارشناس منطقه سه" in page and "شهرداری منطقه ۳" in page
    with schema_context(tenant_a.schema_name):
        clerk = User.objects.get(email="clerk3@alpha.test")
        assert clerk.role == "clerk" and clerk.membership.unit == district
        assert RoleAudit.objects.get(user_email="clerk3@alpha.test").action == "invited"


def test_role_change_and_deactivation_are_audited(client_a, tenant_a, district):
    with schema_context(tenant_a.schema_name):
        clerk = user_make(email="c4@alpha.test", role="clerk", full_name="کارشناس چهار")
    _sign_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    client_a.post(f"/staff/team/{clerk.pk}/", {"role": "unit_manager", "unit": district.pk, "is_active": "on"})
    client_a.post(f"/staff/team/{clerk.pk}/", {"role": "unit_manager", "unit": district.pk})
    with schema_context(tenant_a.schema_name):
        clerk.refresh_from_db()
        assert clerk.role == "unit_manager" and not clerk.is_active
        audits = list(RoleAudit.objects.filter(user_email="c4@alpha.test").order_by("id"))
    assert [a.before["role"] for a in audits] == ["clerk", "unit_manager"]
    assert audits[0].after["unit"] == "شهرداری منطقه ۳" and audits[1].after["is_active"] is False
    audit_page = client_a.get("/staff/audit/").content.decode()
    assert "c4@alpha.test" in audit_page and "تغییر کرد" in audit_page and "changed" not in audit_page
    # A deactivated account can no longer sign in.
    fresh = type(client_a)(HTTP_HOST=tenant_a.subdomain)
    fresh.post("/accounts/login/", {"login": "c4@alpha.test", "password": STAFF_PASSWORD})
    assert fresh.get("/staff/").status_code == 302


def test_an_admin_cannot_lock_themself_out(client_a, tenant_a):
    _sign_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    with schema_context(tenant_a.schema_name):
        me = User.objects.get(email=SESSION_TENANTS["alpha"]["admin_email"])
    page = client_a.post(f"/staff/team/{me.pk}/", {"role": "clerk", "is_active": "on"}).content.decode()
    assert "نمی‌توانید نقش یا دسترسی خودتان را بردارید" in page
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=me.pk).role == "tenant_admin"


def test_duplicate_and_bad_invitations_are_refused(client_a, tenant_a):
    _sign_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    page = client_a.post("/staff/team/", {"email": SESSION_TENANTS["alpha"]["admin_email"], "full_name": "تکراری", "role": "clerk"}).content.decode()
    assert "کاربری با این پست الکترونیک وجود دارد." in page
    page = client_a.post("/staff/team/", {"email": "bad", "full_name": "x", "role": "clerk"}).content.decode()
    assert "پست الکترونیک درست نیست." in page


def test_only_admins_reach_team_and_audit(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="c5@alpha.test", role="clerk")
    _sign_in(client_a, "c5@alpha.test")
    assert client_a.get("/staff/team/").status_code == 403
    assert client_a.get("/staff/audit/").status_code == 403


def test_beta_admin_sees_nothing_of_alpha(client_a, client_b, tenant_a):
    with schema_context(tenant_a.schema_name):
        clerk = user_make(email="c6@alpha.test", role="clerk", full_name="فقط آلفا")
    _sign_in(client_b, SESSION_TENANTS["beta"]["admin_email"])
    assert "فقط آلفا" not in client_b.get("/staff/team/").content.decode()
    assert client_b.get(f"/staff/team/{clerk.pk}/").status_code == 404


def test_a_clerk_or_unit_manager_needs_a_unit(client_a, tenant_a, district):
    _sign_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    form = client_a.get("/staff/team/").content.decode()
    assert "برای کارشناس و مدیر واحد لازم است" in form
    for role in ("clerk", "unit_manager"):
        page = client_a.post("/staff/team/", {"email": f"{role}@alpha.test", "full_name": "بی‌واحد", "role": role}).content.decode()
        assert "کارشناس و مدیر واحد باید واحد سازمانی داشته باشند" in page, role
        assert f'value="{role}@alpha.test"' in page and 'value="بی‌واحد"' in page
        with schema_context(tenant_a.schema_name):
            assert not User.objects.filter(email=f"{role}@alpha.test").exists()
    # A desk operator works without one; a clerk's unit cannot be taken away later either.
    assert client_a.post("/staff/team/", {"email": "desk9@alpha.test", "full_name": "متصدی", "role": "desk_operator"}).status_code == 302
    with schema_context(tenant_a.schema_name):
        clerk = user_make(email="c9@alpha.test", role="clerk")
    page = client_a.post(f"/staff/team/{clerk.pk}/", {"role": "clerk", "is_active": "on"}).content.decode()
    assert "کارشناس و مدیر واحد باید واحد سازمانی داشته باشند" in page
