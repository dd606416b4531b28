"""Stripe's webhook events: verified, stored once, applied in Stripe's order.

Stripe delivers at least once and in no set order. The event id makes a repeat a no-op; the
event's `created` (Stripe's clock, per account) makes an event older than the last one
applied "stale": it is stored but does not move the subscription or the tenant back. An
event of the same second as the last one applied cannot be ordered by `created`, so Stripe
is asked for the object's state now and that is applied.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone as dt_timezone

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from billing import stripe_gateway
from billing.lifecycle import tenant_billing_status_set
from billing.models import BillingAccount, Invoice, Plan, StripeEvent
from tenants.models import Tenant

SIGNATURE_TOLERANCE_SECONDS = 300
# An invoice never goes back from these.
FINAL_INVOICE_STATUSES = ("paid", "void", "uncollectible")


class BadSignature(Exception):
    """The payload was not signed with our endpoint secret (or is not JSON, or the signature's
    time is too far in the past or the future)."""


class StripeStateUnknown(Exception):
    """An event of the same second as the last one applied, and Stripe could not be asked which
    state is current: nothing is stored, and the webhook answers 503 so that Stripe delivers
    the event again."""


def stripe_event_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify, store and apply one delivery. Returns the stored event and whether it is new;
    a repeat returns the first delivery's row and changes nothing."""
    event = _verified(payload, signature)
    existing = StripeEvent.objects.filter(stripe_id=event["id"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _store_and_apply(event), True
    except IntegrityError:
        # The same event delivered twice at once: the other delivery stored and applied it.
        return StripeEvent.objects.get(stripe_id=event["id"]), False


def _verified(payload: bytes, signature: str) -> dict:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise BadSignature("no endpoint secret or no signature")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS)
        # stripe-python checks only that the signature is not too old.
        if _signed_at(signature) > time.time() + SIGNATURE_TOLERANCE_SECONDS:
            raise ValueError("signature timestamp in the future")
        event = json.loads(text)
        if not (event["id"] and event["type"] and isinstance(event["data"]["object"], dict)):
            raise ValueError("not a Stripe event")
        int(event["created"])
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise BadSignature(str(error)) from error
    return event


def _signed_at(header: str) -> int:
    """The `t=` of a Stripe-Signature header (`t=…,v1=…`)."""
    for key, _, value in (item.strip().partition("=") for item in header.split(",")):
        if key == "t":
            return int(value)
    raise ValueError("no timestamp in the signature")


def _store_and_apply(event: dict) -> StripeEvent:
    obj = event["data"]["object"]
    account = _account_for(obj)
    stored = StripeEvent(
        stripe_id=event["id"], type=event["type"], created=int(event["created"]), payload=event,
        tenant=account.tenant if account else None,
    )
    handler = _HANDLERS.get(event["type"])
    if account is None:
        stored.outcome, stored.note = StripeEvent.Outcome.IGNORED, "no tenant has this customer"
    elif handler is None:
        stored.outcome, stored.note = StripeEvent.Outcome.IGNORED, "type not handled"
    else:
        if obj.get("object") == "invoice":
            _invoice_record(account=account, invoice=obj)
        if stored.created < account.last_event_created:
            stored.outcome, stored.note = StripeEvent.Outcome.STALE, f"older than {account.last_event_created}"
        else:
            if stored.created == account.last_event_created:
                stored.note = _apply_as_stripe_reports(account=account, obj=obj, event=event, handler=handler)
            else:
                stored.note = handler(account=account, obj=obj, event=event) or ""
            account.last_event_created = stored.created
            account.save(update_fields=["last_event_created", "updated_at"])
            stored.outcome = StripeEvent.Outcome.APPLIED
    stored.save(force_insert=True)
    return stored


def _account_for(obj: dict) -> BillingAccount | None:
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    if not customer:
        return None
    return BillingAccount.objects.select_for_update(of=("self",)).select_related("tenant", "plan").filter(stripe_customer_id=customer).first()


def _when(seconds) -> datetime | None:
    return datetime.fromtimestamp(int(seconds), tz=dt_timezone.utc) if seconds else None


def _reason(event: dict, obj: dict) -> str:
    return f"{event['type']} {obj.get('id', '')}".strip()


def _apply_as_stripe_reports(*, account: BillingAccount, obj: dict, event: dict, handler) -> str:
    """Two events of one second (a payment failed and the invoice paid, say) arrive in any
    order: apply the state Stripe reports now for the event's subscription, or for its invoice
    when it has none. Stripe unreachable: no guess, the event is delivered again later."""
    subscription = _subscription_of(obj)
    is_invoice = obj.get("object") == "invoice"
    if not (subscription or is_invoice):
        return handler(account=account, obj=obj, event=event) or ""  # nothing at Stripe to ask
    try:
        if subscription:
            current = stripe_gateway.subscription_retrieve(subscription=subscription)
        else:
            current = stripe_gateway.invoice_retrieve(invoice=obj["id"])
    except stripe_gateway.StripeUnavailable as error:
        raise StripeStateUnknown(str(error)) from error
    if subscription:
        return f"same second; Stripe says {_subscription_changed(account=account, obj=current, event=event)}"
    _invoice_record(account=account, invoice=current)
    status = current.get("status")
    if status == "paid":
        _invoice_paid(account=account, obj=current, event=event)
    elif status in ("open", "uncollectible"):
        _invoice_failed(account=account, obj=current, event=event)
    return f"same second; Stripe says invoice {status}"


# --- Handlers: each gets the locked account and the event's object ----------------------


def _checkout_completed(*, account: BillingAccount, obj: dict, event: dict) -> str:
    metadata = obj.get("metadata") or {}
    plan = Plan.objects.filter(code=metadata.get("plan", "")).first()
    if plan is not None:
        account.plan = plan
        account.interval = metadata.get("interval") if metadata.get("interval") in BillingAccount.Interval.values else ""
    if obj.get("subscription"):
        account.stripe_subscription_id = obj["subscription"] if isinstance(obj["subscription"], str) else obj["subscription"]["id"]
    account.save(update_fields=["plan", "interval", "stripe_subscription_id", "updated_at"])
    if obj.get("payment_status") == "paid":
        account.subscription_status = "active"
        account.save(update_fields=["subscription_status", "updated_at"])
        tenant_billing_status_set(account=account, to_status=Tenant.Status.ACTIVE, reason=_reason(event, obj))
    elif obj.get("payment_status") == "no_payment_required":
        account.subscription_status = "trialing"  # the remaining trial days were kept
        account.save(update_fields=["subscription_status", "updated_at"])
    return f"plan {account.plan.code if account.plan else '-'}"


def _invoice_paid(*, account: BillingAccount, obj: dict, event: dict) -> str:
    if account.tenant.status == Tenant.Status.TRIAL and not obj.get("amount_paid"):
        return "a zero invoice during the trial"  # Stripe opens a trial with one
    if _invoice_subscription(obj):
        account.stripe_subscription_id = _invoice_subscription(obj)
        account.subscription_status = "active"
        account.save(update_fields=["stripe_subscription_id", "subscription_status", "updated_at"])
    tenant_billing_status_set(account=account, to_status=Tenant.Status.ACTIVE, reason=_reason(event, obj))
    return ""


def _invoice_failed(*, account: BillingAccount, obj: dict, event: dict) -> str:
    tenant_billing_status_set(
        account=account, to_status=Tenant.Status.PAST_DUE, reason=_reason(event, obj), grace_from=_when(event["created"])
    )
    return ""


def _subscription_changed(*, account: BillingAccount, obj: dict, event: dict) -> str:
    price = _subscription_price(obj)
    plan = Plan.objects.filter(Q(stripe_price_monthly=price) | Q(stripe_price_yearly=price)).first() if price else None
    if plan is not None:
        account.plan = plan
        account.interval = BillingAccount.Interval.YEAR if plan.stripe_price_yearly == price else BillingAccount.Interval.MONTH
    account.stripe_subscription_id = obj.get("id", account.stripe_subscription_id)
    account.subscription_status = obj.get("status", "")
    account.current_period_end = _when(_subscription_period_end(obj)) or account.current_period_end
    account.save()
    status = obj.get("status")
    if status == "active":
        tenant_billing_status_set(account=account, to_status=Tenant.Status.ACTIVE, reason=_reason(event, obj))
    elif status in ("past_due", "unpaid"):
        tenant_billing_status_set(
            account=account, to_status=Tenant.Status.PAST_DUE, reason=_reason(event, obj), grace_from=_when(event["created"])
        )
    elif status in ("canceled", "incomplete_expired"):
        return _subscription_deleted(account=account, obj=obj, event=event)
    return f"subscription {status}"


def _subscription_deleted(*, account: BillingAccount, obj: dict, event: dict) -> str:
    """A subscription that ended leaves the tenant past due: the grace period to subscribe
    again, then suspension, as for an unpaid invoice."""
    account.subscription_status = "canceled"
    account.save(update_fields=["subscription_status", "updated_at"])
    tenant_billing_status_set(
        account=account, to_status=Tenant.Status.PAST_DUE, reason=_reason(event, obj), grace_from=_when(event["created"])
    )
    return "subscription ended"


_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_succeeded": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_deleted,
}


# --- Reading Stripe's objects across API versions ----------------------------------------


def _invoice_subscription(invoice: dict) -> str:
    """`invoice.subscription` before API 2025-03-31, `parent.subscription_details` since."""
    details = ((invoice.get("parent") or {}).get("subscription_details") or {})
    subscription = invoice.get("subscription") or details.get("subscription") or ""
    return subscription if isinstance(subscription, str) else subscription.get("id", "")


def _subscription_of(obj: dict) -> str:
    """The subscription an event's object is, or belongs to (invoice, Checkout Session)."""
    if obj.get("object") == "subscription":
        return obj.get("id", "")
    if obj.get("object") == "invoice":
        return _invoice_subscription(obj)
    subscription = obj.get("subscription") or ""
    return subscription if isinstance(subscription, str) else subscription.get("id", "")


def _subscription_items(subscription: dict) -> list[dict]:
    items = subscription.get("items") or {}
    return items.get("data") or [] if isinstance(items, dict) else []


def _subscription_price(subscription: dict) -> str:
    for item in _subscription_items(subscription):
        price = item.get("price") or item.get("plan") or {}
        if price.get("id"):
            return price["id"]
    return (subscription.get("plan") or {}).get("id", "")


def _subscription_period_end(subscription: dict):
    """On the subscription before API 2025-03-31, on its items since. A trialing one's period
    ends with its trial (Stripe says so in both places; localstripe only in `trial_end`)."""
    if subscription.get("status") == "trialing" and subscription.get("trial_end"):
        return subscription["trial_end"]
    if subscription.get("current_period_end"):
        return subscription["current_period_end"]
    ends = [item["current_period_end"] for item in _subscription_items(subscription) if item.get("current_period_end")]
    return max(ends) if ends else None


def _invoice_record(*, account: BillingAccount, invoice: dict) -> Invoice:
    """Keep the tenant's copy of an invoice; a late event never turns a paid one back to open."""
    record = Invoice.objects.select_for_update().filter(stripe_id=invoice["id"]).first()
    if record is None:
        record = Invoice(tenant=account.tenant, stripe_id=invoice["id"], created=_when(invoice.get("created")) or timezone.now())
    elif record.status in FINAL_INVOICE_STATUSES:
        return record
    transitions = invoice.get("status_transitions") or {}
    record.number = invoice.get("number") or ""
    record.status = invoice.get("status") or ""
    record.amount_due = invoice.get("amount_due") or 0
    record.amount_paid = invoice.get("amount_paid") or 0
    record.currency = invoice.get("currency") or ""
    record.hosted_invoice_url = invoice.get("hosted_invoice_url") or ""
    record.paid_at = _when(transitions.get("paid_at")) if record.status == "paid" else None
    record.save()
    return record
