"""Intake's signals: apps above it (insights) hear of new requests without intake importing them."""

from django.dispatch import Signal

# Sent inside the submitting transaction, in the tenant's schema; kwargs: service_request.
request_submitted = Signal()
