"""The catalogue follows the national registry: retired services leave the portal, renamed
ones take their new approved title."""

from django.dispatch import receiver

from catalog.services import catalog_follow_registry
from registry.signals import national_services_changed


@receiver(national_services_changed)
def _follow_registry(sender, changes, **kwargs):
    for change in changes:
        catalog_follow_registry(national_id=change.service_id, kind=change.kind, new_title=change.new_title)
