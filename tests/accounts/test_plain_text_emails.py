"""The e-mails' text renders with autoescape off because it is plain text: a script payload in
a name arrives as typed. The HTML part a tenant's e-mails gain (its brand, notifications'
email_branded) escapes it: nothing in it is live."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import User
from tests.builders import SESSION_TENANTS, unit_make
from tests.clients import signed_in
from tests.markup import PAYLOADS, parsed

ADMIN = SESSION_TENANTS["alpha"]["admin_email"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_invitation_and_password_reset_carry_a_name_as_plain_text(payload, client_a, tenant_a, django_capture_on_commit_callbacks):
    unit = unit_make(name="ستاد", kind="headquarters")
    signed_in(client_a, ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post("/staff/team/", {"email": "clerk9@alpha.test", "full_name": f"کارشناس {payload}", "role": "clerk", "unit": unit.pk})
    with schema_context(tenant_a.schema_name):
        User.objects.filter(email=ADMIN).update(full_name=f"مدیر {payload}")
    client_a.logout()
    client_a.post("/accounts/password/reset/", {"email": ADMIN})
    invitation, reset = mail.outbox[-2:]
    assert f"کارشناس {payload}" in invitation.body and f"مدیر {payload}" in reset.body
    assert reset.alternatives == []
    (html, kind), = invitation.alternatives
    page = parsed(html)
    assert kind == "text/html" and not live_markup(page)
    assert f"کارشناس {payload}" in "".join(page.texts)


def live_markup(page) -> list:
    return [(tag, attrs) for tag, attrs in page.elements if tag in ("script", "svg") or any(name.startswith("on") for name in attrs)]
