"""Who reaches which request in the staff area: the admin all, a unit manager the unit and its
sub-units, a clerk their unit's requests and those assigned to them, a desk operator only the
walk-ins they registered; nothing of another tenant."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from lib.persian import to_persian_digits
from tests.builders import demo_units, request_submitted_make, row_values, unit_make, user_make
from tests.clients import host_client, staff_client


@pytest.fixture
def world(alpha_catalog):
    hq, district_1, district_2 = demo_units()
    with schema_context("t_alpha"):
        from catalog.models import Unit

        sub = unit_make(name="ناحیه ۱ منطقه ۱", kind=Unit.Kind.BRANCH, parent=district_1)
    service_requests = {
        "hq": request_submitted_make(unit=hq, first_name="علی", national_code="0084575948"),
        "d1": request_submitted_make(unit=district_1, first_name="زهرا"),
        "sub": request_submitted_make(unit=sub, first_name="حسن"),
        "d2": request_submitted_make(unit=district_2, first_name="مینا"),
        "walkin": request_submitted_make(unit=hq, channel="in_person", assisted_by="desk@alpha.test", first_name="رضا"),
    }
    staff = {
        "admin": user_make(role=User.Role.TENANT_ADMIN, email="boss@alpha.test"),
        "manager": user_make(role=User.Role.UNIT_MANAGER, email="manager@alpha.test", unit=district_1),
        "clerk": user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_2),
        "desk": user_make(role=User.Role.DESK_OPERATOR, email="desk@alpha.test", unit=hq),
        "citizen": user_make(role=User.Role.CITIZEN, email="citizen@alpha.test"),
    }
    return service_requests, staff


def _codes_in_queue(client, query=""):
    page = client.get("/staff/requests/" + query).content.decode()
    return page


def _visible(page, service_request):
    return to_persian_digits(service_request.tracking_code) in page


REACH = {
    "admin": {"hq", "d1", "sub", "d2", "walkin"},
    "manager": {"d1", "sub"},
    "clerk": {"d2"},
    "desk": {"walkin"},
}


@pytest.mark.parametrize("role", list(REACH))
def test_each_role_sees_only_its_reach_in_the_queue_and_on_each_page(world, role):
    service_requests, staff = world
    client = staff_client(staff[role])
    page = _codes_in_queue(client)
    for key, service_request in service_requests.items():
        assert _visible(page, service_request) == (key in REACH[role]), (role, key)
        status = client.get(f"/staff/requests/{service_request.pk}/").status_code
        assert status == (200 if key in REACH[role] else 404), (role, key)


def test_a_clerk_also_reaches_what_is_assigned_to_them(world):
    service_requests, staff = world
    manager = staff_client(staff["manager"])
    with schema_context("t_alpha"):
        from catalog.models import StaffMembership

        StaffMembership.objects.filter(user=staff["clerk"]).update(unit=service_requests["sub"].unit)
    clerk = staff_client(staff["clerk"])
    assert clerk.get(f"/staff/requests/{service_requests['d1'].pk}/").status_code == 404
    # The manager gives a request of district 1 to the clerk of the sub-unit.
    response = manager.post(f"/staff/requests/{service_requests['d1'].pk}/assign/", {"assignee": staff["clerk"].pk}, follow=True)
    assert "ارجاع ثبت شد." in response.content.decode()
    assert clerk.get(f"/staff/requests/{service_requests['d1'].pk}/").status_code == 200
    mine = _codes_in_queue(clerk, "?mine=1")
    assert _visible(mine, service_requests["d1"]) and not _visible(mine, service_requests["sub"])
    # Reassigned back to nobody: out of the clerk's reach again.
    manager.post(f"/staff/requests/{service_requests['d1'].pk}/assign/", {"assignee": ""})
    assert clerk.get(f"/staff/requests/{service_requests['d1'].pk}/").status_code == 404


def test_a_manager_cannot_assign_outside_their_tree_and_a_clerk_cannot_assign(world):
    service_requests, staff = world
    outsider = user_make(role=User.Role.CLERK, email="far@alpha.test", unit=service_requests["d2"].unit)
    manager = staff_client(staff["manager"])
    page = manager.post(f"/staff/requests/{service_requests['d1'].pk}/assign/", {"assignee": outsider.pk}, follow=True).content.decode()
    assert "این کارمند در دسترس شما نیست." in page
    before = row_values(service_requests["d2"])
    assert manager.post(f"/staff/requests/{service_requests['d2'].pk}/assign/", {"assignee": outsider.pk}).status_code == 404
    clerk = staff_client(staff["clerk"])
    assert clerk.post(f"/staff/requests/{service_requests['d2'].pk}/assign/", {"assignee": staff["clerk"].pk}).status_code == 403
    assert row_values(service_requests["d2"]) == before


def test_citizens_and_visitors_are_kept_out(world):
    service_requests, staff = world
    assert staff_client(staff["citizen"]).get("/staff/requests/").status_code == 403

    anonymous = host_client("alpha.localhost").get("/staff/requests/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_nothing_of_alpha_is_reachable_from_beta_staff(world, tenant_b):
    service_requests, _staff = world
    with schema_context(tenant_b.schema_name):
        beta_admin = User.objects.get(email="admin@beta.test")
    client = staff_client(beta_admin, host=tenant_b.subdomain, schema=tenant_b.schema_name)
    page = _codes_in_queue(client, f"?q={service_requests['hq'].tracking_code}")
    assert not _visible(page, service_requests["hq"])
    for service_request in service_requests.values():
        assert client.get(f"/staff/requests/{service_request.pk}/").status_code == 404
    # Alpha's admin signed in on alpha is not signed in on beta.
    alpha_admin = staff_client(_staff["admin"])
    alpha_admin.defaults["HTTP_HOST"] = tenant_b.subdomain
    assert alpha_admin.get("/staff/requests/").status_code == 302
