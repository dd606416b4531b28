"""Plans, each tenant's billing account, the recorded Stripe steps, Stripe's events and the
tenant's invoices (public schema)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class Plan(models.Model):
    """What a tenant can subscribe to: its Stripe Prices and the limits the product enforces."""

    code = models.SlugField(_("شناسه"), max_length=40, unique=True)
    name = models.CharField(_("نام طرح"), max_length=100)
    stripe_price_monthly = models.CharField(_("شناسه قیمت ماهانه در Stripe"), max_length=100, blank=True)
    stripe_price_yearly = models.CharField(_("شناسه قیمت سالانه در Stripe"), max_length=100, blank=True)
    # For display only: Stripe's Price holds what is actually charged.
    monthly_amount = models.PositiveIntegerField(_("مبلغ ماهانه"), default=0)
    yearly_amount = models.PositiveIntegerField(_("مبلغ سالانه"), default=0)
    currency = models.CharField(_("واحد پول"), max_length=3, default="eur")
    # Empty means no limit.
    staff_seats = models.PositiveIntegerField(_("سقف کارکنان"), null=True, blank=True)
    requests_per_month = models.PositiveIntegerField(_("سقف درخواست در ماه"), null=True, blank=True)
    is_active = models.BooleanField(_("قابل انتخاب برای مشترکان"), default=True)
    is_trial_default = models.BooleanField(_("طرح دوره آزمایشی"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("طرح اشتراک")
        verbose_name_plural = _("طرح‌های اشتراک")
        constraints = [
            models.UniqueConstraint(fields=["is_trial_default"], condition=Q(is_trial_default=True), name="billing_one_trial_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    def price_for(self, interval: str) -> str:
        return self.stripe_price_yearly if interval == BillingAccount.Interval.YEAR else self.stripe_price_monthly


class BillingAccount(models.Model):
    """A tenant's side of billing: its Stripe customer and what its subscription last said."""

    class Interval(models.TextChoices):
        MONTH = "month", _("ماهانه")
        YEAR = "year", _("سالانه")

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="billing_account")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")
    interval = models.CharField(max_length=5, choices=Interval.choices, blank=True)
    stripe_customer_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True)
    subscription_status = models.CharField(max_length=30, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    grace_ends_at = models.DateTimeField(_("پایان مهلت پرداخت"), null=True, blank=True)
    # Stripe's clock (event `created`, seconds) of the last event applied: older ones are stale.
    last_event_created = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("حساب مالی مشترک")
        verbose_name_plural = _("حساب‌های مالی مشترکان")

    def __str__(self) -> str:
        return str(self.tenant)

    # Stripe's subscription statuses, as the vendor's console names them.
    SUBSCRIPTION_STATUS_LABELS = {
        "active": _("فعال"), "trialing": _("دوره آزمایشی"), "past_due": _("پرداخت معوق"),
        "canceled": _("لغوشده"), "unpaid": _("پرداخت‌نشده"), "incomplete": _("ناتمام"),
        "incomplete_expired": _("ناتمام و منقضی"), "paused": _("متوقف"),
    }

    @property
    def subscription_status_label(self) -> str:
        status = self.subscription_status
        return str(self.SUBSCRIPTION_STATUS_LABELS.get(status, status))


class BillingStep(models.Model):
    """A call to Stripe that must happen once and may fail: recorded, retried, shown to the vendor."""

    class Kind(models.TextChoices):
        CUSTOMER_CREATE = "customer_create", _("ساخت مشتری در Stripe")
        SUBSCRIPTION_CANCEL = "subscription_cancel", _("لغو اشتراک در Stripe")

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار")
        FAILED = "failed", _("ناموفق، تلاش دوباره")
        DONE = "done", _("انجام‌شده")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="billing_steps")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "kind"], name="billing_step_once_per_tenant")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class StripeEvent(models.Model):
    """Every verified event from Stripe, stored once; the id makes a repeat a no-op."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("اعمال شد")
        STALE = "stale", _("قدیمی‌تر از وضعیت فعلی")
        IGNORED = "ignored", _("نادیده گرفته شد")

    stripe_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    created = models.BigIntegerField()
    tenant = models.ForeignKey(Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="stripe_events")
    payload = models.JSONField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]


class Invoice(models.Model):
    """A Stripe invoice as its webhooks told us, so the tenant sees them when Stripe cannot be reached."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invoices")
    stripe_id = models.CharField(max_length=100, unique=True)
    number = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20)
    amount_due = models.BigIntegerField(default=0)
    amount_paid = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    hosted_invoice_url = models.URLField(max_length=500, blank=True)
    created = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
