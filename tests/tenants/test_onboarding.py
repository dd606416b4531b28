"""Onboarding a tenant: what exists afterwards, and that a refusal or a failure leaves nothing."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from lib.identifiers import make_legal_national_id
from portal_themes.models import Theme
from tenants.models import Domain, Tenant, TenantEvent
from tenants.services import OnboardingError, tenant_draft_clean, tenant_onboard
from tests.clients import host_client

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")
        return {row[0] for row in cursor.fetchall()}


def _snapshot():
    return (
        sorted(Tenant.objects.values_list("slug", flat=True)),
        sorted(Domain.objects.values_list("domain", flat=True)),
        TenantEvent.objects.count(),
        _schemas(),
    )


def _draft(**overrides):
    spec = {
        "slug": "kashan", "name": "شهرداری كاشان", "kind": "municipality", "province": "isfahan",
        "admin_email": "Admin@Kashan.test", "national_id": make_legal_national_id("1410555555"),
    }
    spec.update(overrides)
    return tenant_draft_clean(**spec)


def test_onboarding_gives_a_working_portal_and_an_invited_admin(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant = tenant_onboard(draft=_draft(), actor="test")

    assert tenant.status == Tenant.Status.TRIAL and tenant.trial_ends_at is not None
    assert tenant.name == "شهرداری کاشان"  # Arabic ك normalised to Persian ک
    assert tenant.schema_name in _schemas()
    assert Domain.objects.get(tenant=tenant).domain == "kashan.localhost"
    with schema_context(tenant.schema_name):
        admin = User.objects.get()
        assert admin.email == "admin@kashan.test" and admin.role == User.Role.TENANT_ADMIN
        assert not admin.has_usable_password()
        assert Theme.objects.get().display_name == "شهرداری کاشان"

    response = host_client("kashan.localhost").get("/")
    assert response.status_code == 200
    assert "میز خدمت الکترونیکی شهرداری کاشان" in response.content.decode()

    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["admin@kashan.test"]
    assert "شهرداری کاشان" in invitation.subject
    link = re.search(r"http://kashan\.localhost:\d+(/accounts/password/reset/key/\S+)", invitation.body).group(1)

    # The link lets the admin choose a password, then sign in on the tenant's host.
    client = host_client("kashan.localhost")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Kashan-Admin-2026!", "password2": "Kashan-Admin-2026!"},
    )
    assert set_password.status_code == 302
    fresh = host_client("kashan.localhost")
    assert fresh.login(email="admin@kashan.test", password="Kashan-Admin-2026!")
    assert fresh.get("/staff/").status_code == 200


def test_onboard_command(db, capsys):
    call_command(
        "onboard_tenant", slug="meybod", name="شهرداری میبد", kind="municipality", province="yazd",
        admin_email="admin@meybod.test",
    )
    assert "meybod.localhost" in capsys.readouterr().out
    assert Tenant.objects.get(slug="meybod").status == Tenant.Status.TRIAL


def test_onboard_command_refuses_bad_input_and_saves_nothing(db):
    before = _snapshot()
    with pytest.raises(CommandError, match="شناسه ملی"):
        call_command(
            "onboard_tenant", slug="meybod", name="شهرداری میبد", kind="municipality", province="yazd",
            admin_email="admin@meybod.test", national_id="12345678901",
        )
    assert _snapshot() == before


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"slug": "alpha"}, "slug"),  # the session tenant's slug
        ({"slug": "www"}, "slug"),
        ({"slug": "Bad Slug"}, "slug"),
        ({"national_id": "12345678901"}, "national_id"),
        ({"province": "atlantis"}, "province"),
        ({"admin_email": "not-an-email"}, "admin_email"),
        ({"kind": "village"}, "kind"),
    ],
)
def test_bad_input_is_refused_with_a_persian_message(db, overrides, field):
    before = _snapshot()
    with pytest.raises(OnboardingError) as error:
        _draft(**overrides)
    assert field in error.value.errors
    assert re.search(r"[\u0600-\u06FF]", error.value.errors[field][0])
    assert _snapshot() == before


def test_duplicate_domain_is_refused(db, tenant_a):
    Domain.objects.create(domain="kashan.localhost", tenant=tenant_a, is_primary=False)
    before = _snapshot()
    with pytest.raises(OnboardingError) as error:
        _draft()
    assert "slug" in error.value.errors
    assert _snapshot() == before


def test_duplicate_national_id_is_refused(db, tenant_a):
    with pytest.raises(OnboardingError) as error:
        _draft(national_id=tenant_a.national_id)
    assert "national_id" in error.value.errors


def test_failure_after_the_schema_is_built_leaves_nothing(db):
    """A fault in the database at the last step (the onboarding's event) rolls everything back."""
    draft = _draft()
    with connection.cursor() as cursor:
        cursor.execute(
            """CREATE FUNCTION public.refuse_event() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
               CREATE TRIGGER refuse_event BEFORE INSERT ON public.tenants_tenantevent
               FOR EACH ROW EXECUTE FUNCTION public.refuse_event();"""
        )
    before = _snapshot()
    with pytest.raises(OnboardingError) as error:
        tenant_onboard(draft=draft)
    assert "injected failure" in str(error.value)
    assert "هیچ چیز ذخیره نشد" in str(error.value)
    assert _snapshot() == before
    assert "t_kashan" not in _schemas()


def test_a_leftover_schema_of_the_same_name_fails_cleanly(db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t_kashan"')
    before = _snapshot()
    with pytest.raises(OnboardingError):
        tenant_onboard(draft=_draft())
    assert _snapshot() == before
    assert not Tenant.objects.filter(slug="kashan").exists()


def test_onboarding_twice_with_the_same_slug_creates_one_tenant(db):
    draft = _draft()
    tenant_onboard(draft=draft)
    with pytest.raises(OnboardingError):
        tenant_onboard(draft=draft)  # the draft was checked before the first one existed
    assert Tenant.objects.filter(slug="kashan").count() == 1
