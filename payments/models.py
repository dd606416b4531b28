"""A tenant's payment gateways and the citizens' payments of service fees.

Amounts are integer Rial everywhere (PositiveBigIntegerField; Zarinpal is asked in IRR too).
A payment is tied to the wizard's token, which the submitted request keeps as `wizard_token`:
payments sit below intake, so they name the request the way it names itself.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from lib.postgresql.stored_size import stored_at_most

SEALED_CREDENTIALS_BYTES = 4000


class Gateway(models.Model):
    """An internet payment gateway (درگاه پرداخت اینترنتی) of the tenant, with sealed credentials."""

    class Provider(models.TextChoices):
        ZARINPAL = "zarinpal", _("زرین‌پال")
        SEP = "sep", _("بانک سامان (سپ)")

    class Mode(models.TextChoices):
        TEST = "test", _("آزمایشی")
        LIVE = "live", _("واقعی")

    title = models.CharField(_("عنوان درگاه"), max_length=100)
    provider = models.CharField(_("ارائه‌دهنده"), max_length=20, choices=Provider.choices)
    mode = models.CharField(_("حالت"), max_length=10, choices=Mode.choices, default=Mode.TEST)
    # The sealed form of a few short fields (forms.GatewayForm): bounded, so no TOAST table.
    credentials_sealed = models.TextField(blank=True)
    credentials_hint = models.CharField(max_length=16, blank=True)
    fees = models.ManyToManyField("catalog.Fee", blank=True, related_name="gateways", verbose_name=_("هزینه‌هایی که دریافت می‌کند"))
    collects_other_fees = models.BooleanField(_("درگاه پیش‌فرض برای هزینه‌هایی که درگاهی برایشان تعیین نشده"), default=False)
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [stored_at_most("credentials_sealed", SEALED_CREDENTIALS_BYTES, name="payments_gateway_credentials_fit_page")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_provider_display()})"


class Payment(models.Model):
    """One attempt to pay one fee of one request; created pending before the redirect."""

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار تایید")
        PAID = "paid", _("پرداخت‌شده")
        FAILED = "failed", _("ناموفق")
        CANCELLED = "cancelled", _("انصراف پرداخت‌کننده")
        REVERSED = "reversed", _("برگشت‌داده‌شده به پرداخت‌کننده")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Looked up only with status "paid" (the partial unique index leads with it) or by public_id.
    wizard_token = models.UUIDField()
    # No index: a payment is read by its public id, its wizard token or its creation time; only a
    # service's deletion (which nothing here does but Django admin) looks payments up by it.
    service = models.ForeignKey("catalog.Service", on_delete=models.SET_NULL, null=True, related_name="payments", db_index=False)
    service_title = models.CharField(max_length=300)
    # No index either: a fee's payments are read by wizard token; only deleting a fee (a card
    # edit) looks them up by it, to set it to null.
    fee = models.ForeignKey("catalog.Fee", on_delete=models.SET_NULL, null=True, related_name="payments", db_index=False)
    fee_title = models.CharField(max_length=200)
    amount_rial = models.PositiveBigIntegerField()
    sheba = models.CharField(max_length=26)
    bank = models.CharField(max_length=100)
    gateway = models.ForeignKey(Gateway, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20, choices=Gateway.Provider.choices)
    mode = models.CharField(max_length=10, choices=Gateway.Mode.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    authority = models.CharField(max_length=100, blank=True)  # Zarinpal's authority, SEP's token; never looked up
    ref_num = models.CharField(max_length=100, blank=True)  # SEP's RefNum from the callback (what verify takes)
    reference = models.CharField(max_length=64, blank=True)  # the citizen's شماره پیگیری: Zarinpal ref_id, SEP RRN
    card_pan = models.CharField(max_length=32, blank=True)
    mobile = models.CharField(max_length=11, blank=True)
    return_path = models.CharField(max_length=300)
    note = models.CharField(max_length=300, blank=True)
    history = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refund_decided_at = models.DateTimeField(null=True, blank=True)
    refund_decided_by = models.CharField(max_length=254, blank=True)
    refund_reason = models.CharField(max_length=500, blank=True)
    refund_reference = models.CharField(max_length=64, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Never twice for the same fee of the same request.
            models.UniqueConstraint(fields=["wizard_token", "fee"], condition=Q(status="paid"), name="payments_one_paid_per_fee"),
            models.CheckConstraint(condition=Q(amount_rial__gt=0), name="payments_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fee_title} — {self.amount_rial}"

    @property
    def order_id(self) -> str:
        """What the gateway knows the payment by (SEP's ResNum, Zarinpal's metadata.order_id)."""
        return self.public_id.hex

    @property
    def amount_toman(self) -> int:
        return self.amount_rial // 10

    @property
    def history_rows(self) -> list[tuple[str, str]]:
        """Each step as (time, Persian words), for the staff page."""
        return [(parse_datetime(item.get("at", "")), HISTORY_LABELS.get(item.get("what", ""), _("رویداد دیگر"))) for item in self.history]


HISTORY_LABELS = {
    "created": _("ثبت شد"), "redirected": _("به درگاه فرستاده شد"), "paid": _("پرداخت از سوی درگاه تایید شد"),
    "still pending": _("درگاه هنوز پاسخ قطعی نداده است"), "failed": _("ناموفق"), "cancelled": _("انصراف پرداخت‌کننده"),
    "reversed": _("مبلغ به پرداخت‌کننده برگشت داده شد"), "reverse refused": _("برگشت مبلغ از سوی درگاه پذیرفته نشد"),
    "refund decided": _("تصمیم بازپرداخت ثبت شد"), "refunded": _("بازپرداخت واریز شد"),
}
