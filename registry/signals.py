"""Registry signals: apps that build on the mirror (the catalogue) hear of its changes without
the registry depending on them."""

from django.dispatch import Signal

# Sent once per tenant, inside that tenant's schema, after a run retired or renamed national
# services; kwargs: changes (a list of registry.models.ServiceChange).
national_services_changed = Signal()
