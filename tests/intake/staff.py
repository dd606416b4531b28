"""Staff users of each role and requests in chosen units, for the staff-area tests."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tests.conftest import host_client
from tests.intake.conftest import applicant_post

SERVICE = "10901010100"


def make_request(*, unit=None, schema="t_alpha", channel="online", assisted_by="", **applicant):
    from catalog.models import Service
    from intake.services import draft_save_step, draft_start, request_submit

    with schema_context(schema):
        service = Service.objects.get(national_id=SERVICE)
        draft = draft_start(service=service, unit=unit, channel=channel, assisted_by=assisted_by)
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post(**applicant))
        return request_submit(token=draft.token)


def make_staff(*, role, email, unit=None, schema="t_alpha", full_name=""):
    from accounts.models import User
    from catalog.models import StaffMembership

    with schema_context(schema):
        user = User.objects.create_user(email=email, password="x-Passw0rd-1405", role=role, full_name=full_name or email)
        if unit is not None:
            StaffMembership.objects.create(user=user, unit=unit)
        return user


def staff_client(user, host="alpha.localhost", schema="t_alpha"):
    client = host_client(host)
    with schema_context(schema):
        client.force_login(user)
    return client


def units(schema="t_alpha"):
    """(headquarters, first district, second district) of the demo catalogue."""
    from catalog.models import Unit

    with schema_context(schema):
        hq = Unit.objects.get(parent=None)
        districts = list(Unit.objects.filter(parent=hq).order_by("order", "id")[:2])
        return hq, districts[0], districts[1]
