"""Tenant signals: the host caches are dropped whenever a tenant or a domain changes, and
other apps (billing) hear of a new or closed tenant through `tenant_onboarded` and
`tenant_closed` without tenants depending on them."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from tenants.models import Domain, Tenant
from tenants.selectors import forget_hosts

# Sent after the onboarding transaction commits; kwargs: tenant.
tenant_onboarded = Signal()
# Sent after the vendor's closing of a tenant commits; kwargs: tenant.
tenant_closed = Signal()


@receiver([post_save, post_delete], sender=Domain)
def _domain_changed(sender, instance, **kwargs):
    _forget_now_and_after_commit(lambda: forget_hosts([instance.domain]))


@receiver(post_save, sender=Tenant)
def _tenant_changed(sender, instance, **kwargs):
    hostnames = list(instance.domains.values_list("domain", flat=True))
    _forget_now_and_after_commit(lambda: forget_hosts(hostnames))


def _forget_now_and_after_commit(forget):
    # After commit too: a request may have cached the old row between save and commit.
    forget()
    transaction.on_commit(forget)
