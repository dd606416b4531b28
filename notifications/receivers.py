"""Any write to a tenant's message templates renews what the web processes keep of them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from notifications.messages import templates_changed
from notifications.models import MessageTemplate


@receiver([post_save, post_delete], sender=MessageTemplate)
def _template_written(sender, **kwargs):
    templates_changed()
