"""Any write to a tenant's gateways renews what the web processes keep of them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from payments.models import Gateway
from payments.selectors import gateways_changed


@receiver([post_save, post_delete], sender=Gateway)
def _gateway_written(sender, **kwargs):
    gateways_changed()
