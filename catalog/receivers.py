"""The catalogue follows the national registry: retired services leave the portal, renamed
ones take their new approved title. Any write to the catalogue renews what the portal's web
processes keep of it."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.services import catalog_follow_registry, catalogue_changed
from registry.signals import national_services_changed


@receiver(national_services_changed)
def _follow_registry(sender, changes, **kwargs):
    for change in changes:
        catalog_follow_registry(national_id=change.service_id, kind=change.kind, new_title=change.new_title)


@receiver([post_save, post_delete, m2m_changed])
def _catalogue_written(sender, **kwargs):
    if sender._meta.app_label == "catalog":
        catalogue_changed()
