"""The only module that calls Stripe. Every failure, from a refused connection to an
endpoint the server lacks (localstripe has no Checkout or Customer Portal), comes back as
`StripeUnavailable`, so callers record it and carry on."""

from __future__ import annotations

import stripe
from django.conf import settings


class StripeUnavailable(Exception):
    """Stripe could not be reached, refused the call, or is not configured."""


class StripeNotConfigured(StripeUnavailable):
    pass


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set.")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None,
        # Our own recorded steps retry; a web request should not wait through several attempts.
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _call(do):
    try:
        return do(_client())
    except stripe.StripeError as error:
        status = f"HTTP {error.http_status}: " if error.http_status else ""
        raise StripeUnavailable(f"{type(error).__name__}: {status}{error.user_message or error}".strip()) from error


def customer_create(*, name: str, email: str, metadata: dict, idempotency_key: str) -> str:
    params = {"name": name, "metadata": metadata}
    if email:
        params["email"] = email
    customer = _call(lambda c: c.v1.customers.create(params=params, options={"idempotency_key": idempotency_key}))
    return customer.id


def subscription_cancel(*, subscription: str) -> str:
    """Cancel at once (a closed tenant); returns the status Stripe reports."""
    return _call(lambda c: c.v1.subscriptions.cancel(subscription)).status


def subscription_retrieve(*, subscription: str) -> dict:
    """The subscription as Stripe holds it now."""
    return _call(lambda c: c.v1.subscriptions.retrieve(subscription)).to_dict()


def invoice_retrieve(*, invoice: str) -> dict:
    """The invoice as Stripe holds it now."""
    return _call(lambda c: c.v1.invoices.retrieve(invoice)).to_dict()


def checkout_session_create(
    *, customer: str, price: str, success_url: str, cancel_url: str, reference: str, metadata: dict,
    trial_end: int | None = None,
) -> str:
    """A Checkout Session for a subscription to `price`; returns the page to send the payer to."""
    subscription_data = {"metadata": metadata}
    if trial_end:
        subscription_data["trial_end"] = trial_end
    params = {
        "mode": "subscription",
        "customer": customer,
        "line_items": [{"price": price, "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": reference,
        "metadata": metadata,
        "subscription_data": subscription_data,
    }
    session = _call(lambda c: c.v1.checkout.sessions.create(params=params))
    return session.url


def portal_session_create(*, customer: str, return_url: str) -> str:
    """A Customer Portal session, where the payer changes card and reads invoices."""
    session = _call(lambda c: c.v1.billing_portal.sessions.create(params={"customer": customer, "return_url": return_url}))
    return session.url
