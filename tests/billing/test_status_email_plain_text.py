"""The status e-mail renders with autoescape off because it is plain text: a script payload in
the tenant's name arrives as typed, with no HTML part a mail client would render."""

from datetime import timedelta

from billing.lifecycle import billing_overdue_apply
from tenants.models import Tenant
from tests.markup import PAYLOADS


def test_the_status_e_mail_carries_the_tenants_name_as_plain_text(stripe_up, customer_a, tenant_a, mailoutbox, django_capture_on_commit_callbacks):
    name = "شهرداری " + " ".join(PAYLOADS)
    Tenant.objects.filter(pk=tenant_a.pk).update(name=name)
    trial_end = Tenant.objects.get(pk=tenant_a.pk).trial_ends_at
    with django_capture_on_commit_callbacks(execute=True):
        billing_overdue_apply(now=trial_end + timedelta(hours=1))
    message = next(m for m in mailoutbox if m.to == ["admin@alpha.test"])
    assert f"«{name}»" in message.subject and f"«{name}»" in message.body
    assert message.alternatives == []
