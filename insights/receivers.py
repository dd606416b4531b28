"""What insights does when intake tells it something."""

from django.db import connection, transaction
from django.dispatch import receiver

from insights.services import rollup_tenant_soon
from intake.signals import request_submitted


@receiver(request_submitted)
def _roll_up_soon(sender, service_request, **kwargs):
    """A tenant's new requests reach /insights/ within minutes, not the next night."""
    schema_name = connection.schema_name  # the connection may be elsewhere by commit time
    transaction.on_commit(lambda: rollup_tenant_soon(schema_name=schema_name))
