"""Billing's use cases that call Stripe: the tenant's customer (a recorded, retried step),
Checkout and the Customer Portal; and the vendor's plans."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import stripe_gateway
from billing.models import BillingAccount, BillingStep, Plan
from billing.selectors import tenant_admin_emails
from billing.stripe_gateway import StripeNotConfigured, StripeUnavailable
from tenants.models import Tenant

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
NOT_CONFIGURED_WAIT = timedelta(minutes=5)


class BillingUnavailable(Exception):
    """Shown to the tenant admin as a Persian message; nothing was changed."""


@transaction.atomic
def billing_account_open(*, tenant: Tenant) -> BillingStep:
    """Give a new tenant its account on the trial plan and record the step that creates its
    Stripe customer; onboarding never waits for Stripe. Safe to call twice."""
    BillingAccount.objects.get_or_create(tenant=tenant, defaults={"plan": Plan.objects.filter(is_trial_default=True).first()})
    step, _created = BillingStep.objects.get_or_create(tenant=tenant, kind=BillingStep.Kind.CUSTOMER_CREATE)
    return step


def billing_subscription_cancel_record(*, tenant: Tenant) -> BillingStep:
    """Record the step that cancels a closed tenant's subscription; safe to call twice."""
    step, _created = BillingStep.objects.get_or_create(tenant=tenant, kind=BillingStep.Kind.SUBSCRIPTION_CANCEL)
    return step


def billing_step_enqueue(*, step: BillingStep) -> None:
    """Run the step on a worker after commit; if the broker is down the beat task finds it later."""

    def enqueue():
        from billing.tasks import billing_step_run_task  # tasks imports this module: a cycle

        try:
            billing_step_run_task.apply_async(kwargs={"step_id": step.pk}, retry=False)
        except Exception as error:  # kombu raises several kinds for an unreachable broker
            logger.warning("Broker unreachable (%s); billing step %s waits for the retry task.", error, step.pk)

    transaction.on_commit(enqueue)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@transaction.atomic
def billing_step_run(*, step_id: int, now: datetime | None = None) -> BillingStep | None:
    """Try one recorded step now. Its row stays locked while Stripe is called, so two
    workers never create the same customer twice; a failure is recorded, never raised."""
    now = now or timezone.now()
    step = (
        BillingStep.objects.select_for_update(skip_locked=True).select_related("tenant")
        .filter(pk=step_id).exclude(status=BillingStep.Status.DONE).first()
    )
    if step is None:
        return None
    try:
        _STEP_RUNNERS[step.kind](tenant=step.tenant)
    except StripeNotConfigured as error:
        step.last_error, step.next_attempt_at = str(error), now + NOT_CONFIGURED_WAIT
    except StripeUnavailable as error:
        step.attempts += 1
        step.status, step.last_error = BillingStep.Status.FAILED, str(error)[:2000]
        step.next_attempt_at = now + _backoff(step.attempts)
    else:
        step.attempts += 1
        step.status, step.last_error, step.next_attempt_at = BillingStep.Status.DONE, "", None
    step.save()
    return step


def billing_steps_retry(*, now: datetime | None = None) -> int:
    """Run every step that is due (the beat task); returns how many were tried."""
    now = now or timezone.now()
    due = BillingStep.objects.exclude(status=BillingStep.Status.DONE).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:200])
    for step_id in ids:
        billing_step_run(step_id=step_id, now=now)
    return len(ids)


def _customer_create(*, tenant: Tenant) -> None:
    account, _created = BillingAccount.objects.select_for_update().get_or_create(tenant=tenant)
    if account.stripe_customer_id:
        return
    emails = tenant_admin_emails(tenant=tenant)
    account.stripe_customer_id = stripe_gateway.customer_create(
        name=tenant.name, email=emails[0] if emails else "",
        metadata={"tenant": tenant.slug, "schema": tenant.schema_name},
        # Stripe answers a repeat within 24 h with the same customer.
        idempotency_key=f"mizban-customer-{tenant.schema_name}-{int(tenant.created_at.timestamp())}",
    )
    account.save(update_fields=["stripe_customer_id", "updated_at"])


def _subscription_cancel(*, tenant: Tenant) -> None:
    """A closed tenant pays no more: its subscription, if it has one, is cancelled at Stripe.
    Stripe's `customer.subscription.deleted` that follows cannot reopen it (billing never
    moves a closed tenant)."""
    account = BillingAccount.objects.select_for_update().filter(tenant=tenant).first()
    if account is None or not account.stripe_subscription_id or account.subscription_status == "canceled":
        return
    account.subscription_status = stripe_gateway.subscription_cancel(subscription=account.stripe_subscription_id)
    account.save(update_fields=["subscription_status", "updated_at"])


_STEP_RUNNERS = {
    BillingStep.Kind.CUSTOMER_CREATE: _customer_create,
    BillingStep.Kind.SUBSCRIPTION_CANCEL: _subscription_cancel,
}


def _customer_for(tenant: Tenant) -> str:
    account = BillingAccount.objects.filter(tenant=tenant).first()
    if account is not None and not account.stripe_customer_id:
        # The admin wants to pay now: run the recorded step rather than wait for the beat task.
        step = BillingStep.objects.filter(tenant=tenant, kind=BillingStep.Kind.CUSTOMER_CREATE).first()
        if step is not None:
            billing_step_run(step_id=step.pk)
            account.refresh_from_db()
    if account is None or not account.stripe_customer_id:
        raise BillingUnavailable(_("حساب پرداخت این دستگاه هنوز در Stripe ساخته نشده است؛ چند دقیقه دیگر دوباره تلاش کنید."))
    return account.stripe_customer_id


def checkout_session_start(*, tenant: Tenant, plan: Plan, interval: str, success_url: str, cancel_url: str) -> str:
    """Where to send the tenant admin to pay for `plan`. A trial keeps its remaining days:
    Stripe charges when the trial ends (it needs the end at least two days ahead)."""
    price = plan.price_for(interval)
    if not plan.is_active or not price:
        raise BillingUnavailable(_("این طرح با این دوره پرداخت ارائه نمی‌شود."))
    trial_end = None
    if tenant.status == Tenant.Status.TRIAL and tenant.trial_ends_at and tenant.trial_ends_at > timezone.now() + timedelta(days=2):
        trial_end = int(tenant.trial_ends_at.timestamp())
    try:
        return stripe_gateway.checkout_session_create(
            customer=_customer_for(tenant), price=price, success_url=success_url, cancel_url=cancel_url,
            reference=tenant.schema_name, metadata={"tenant": tenant.slug, "plan": plan.code, "interval": interval},
            trial_end=trial_end,
        )
    except StripeUnavailable as error:
        logger.warning("Checkout for %s failed: %s", tenant.schema_name, error)
        raise BillingUnavailable(_("اتصال به درگاه پرداخت Stripe برقرار نشد؛ کمی بعد دوباره تلاش کنید.")) from error


def portal_session_start(*, tenant: Tenant, return_url: str) -> str:
    """Where the tenant admin changes the card and reads Stripe's invoices."""
    try:
        return stripe_gateway.portal_session_create(customer=_customer_for(tenant), return_url=return_url)
    except StripeUnavailable as error:
        logger.warning("Customer Portal for %s failed: %s", tenant.schema_name, error)
        raise BillingUnavailable(_("اتصال به درگاه مدیریت پرداخت Stripe برقرار نشد؛ کمی بعد دوباره تلاش کنید.")) from error


@transaction.atomic
def plan_save(*, plan: Plan, trial_default: bool, actor: str = "") -> Plan:
    """Save a plan the vendor edited; marking one as the trial plan unmarks the other."""
    if trial_default:
        Plan.objects.exclude(pk=plan.pk).filter(is_trial_default=True).update(is_trial_default=False)
    plan.is_trial_default = trial_default
    plan.save()
    logger.info("Plan %s saved by %s", plan.code, actor)
    return plan
