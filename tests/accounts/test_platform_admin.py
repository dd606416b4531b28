"""Django admin on the platform domain, without Django's groups and permissions (accounts.0008):
an active superuser (the vendor) may do everything it offers, other staff nothing."""

from accounts.models import User
from tests.builders import STAFF_PASSWORD, SUPERVISOR_EMAIL, VENDOR_EMAIL


def test_the_vendor_superuser_sees_and_edits_platform_users(vendor_client):
    index = vendor_client.get("/admin/")
    assert index.status_code == 200 and "/admin/accounts/user/" in index.content.decode()
    listing = vendor_client.get("/admin/accounts/user/")
    assert listing.status_code == 200 and SUPERVISOR_EMAIL in listing.content.decode()
    supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
    change = vendor_client.get(f"/admin/accounts/user/{supervisor.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert 'name="is_superuser"' in page and 'name="groups"' not in page and 'name="user_permissions"' not in page


def test_staff_who_is_not_superuser_gets_nothing_in_the_admin(public_client):
    User.objects.create_user(email="ops@mizban.test", password=STAFF_PASSWORD, role=User.Role.VENDOR, is_staff=True)
    assert public_client.login(email="ops@mizban.test", password=STAFF_PASSWORD)
    assert "/admin/accounts/user/" not in public_client.get("/admin/").content.decode()
    assert public_client.get("/admin/accounts/user/").status_code == 403


def test_a_deactivated_superuser_is_refused(public_client):
    vendor = User.objects.get(email=VENDOR_EMAIL)
    assert vendor.has_perm("accounts.change_user") and vendor.has_module_perms("accounts")
    vendor.is_active = False
    assert not vendor.has_perm("accounts.change_user") and not vendor.has_module_perms("accounts")
