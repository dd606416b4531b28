"""Reads of payments: which gateway collects a fee, what a request still owes, what it paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from catalog.models import Fee, FeeDue, Service
from catalog.selectors import submit_fees_exist
from lib.generations import generation_renew, remembered
from payments.models import Gateway, Payment


# Whether the tenant has an active gateway is kept by each web process until a gateway is
# written (payments/receivers.py): most tenants collect nothing online, and every submit asks.
GATEWAYS = "payment-gateways"


def active_gateway_exists() -> bool:
    (exists,) = remembered(GATEWAYS, "active", lambda: (Gateway.objects.filter(is_active=True).exists(),),
                           seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)
    return exists


def gateways_changed() -> None:
    generation_renew(GATEWAYS)


def gateway_for_fee(fee: Fee) -> Gateway | None:
    """The active gateway that names the fee, else the active default one; none: not paid online."""
    named = Gateway.objects.filter(is_active=True, fees=fee).order_by("id").first()
    return named or Gateway.objects.filter(is_active=True, collects_other_fees=True).order_by("id").first()


@dataclass
class FeeState:
    fee: Fee
    gateway: Gateway | None
    paid: Payment | None

    @property
    def online(self) -> bool:
        return self.gateway is not None


def fee_states(*, wizard_token, service: Service, due: str | None = FeeDue.SUBMIT) -> list[FeeState]:
    """Each fee of the card due then (all with `due=None`), the gateway that collects it and its
    verified payment, if any."""
    if due == FeeDue.SUBMIT and submit_fees_exist(service) is False:
        return []  # the card's kept online offer knows it has none: no query at all
    paid = {p.fee_id: p for p in Payment.objects.filter(wizard_token=wizard_token, status=Payment.Status.PAID)}
    fees = service.fees.all() if due is None else service.fees.filter(due=due)
    return [FeeState(fee=fee, gateway=gateway_for_fee(fee), paid=paid.get(fee.pk)) for fee in fees]


def payment_required(*, service: Service) -> bool:
    """The wizard has a payment step where a fee due at submit has a gateway collecting it."""
    return any(gateway_for_fee(fee) for fee in service.fees.filter(due=FeeDue.SUBMIT))


def fees_unpaid(*, wizard_token, service: Service, due: str = FeeDue.SUBMIT) -> list[Fee]:
    """The fees a gateway collects that are not paid yet. Every submit asks, so nothing is read
    for a tenant without an active gateway (nothing is paid online; kept per process) or a card
    read with no fee due at submit (catalog's online offer), and one query for a card without
    fees due."""
    if not active_gateway_exists():
        return []
    if due == FeeDue.SUBMIT and submit_fees_exist(service) is False:
        return []  # the card's kept online offer knows it has none
    fees = service.fees.all() if due is None else service.fees.filter(due=due)
    if not fees.exists():
        return []
    return [state.fee for state in fee_states(wizard_token=wizard_token, service=service, due=due) if state.online and not state.paid]


def payments_paid(*, wizard_token) -> list[Payment]:
    """What the receipt, the tracking page and the receipt PDF show."""
    return list(Payment.objects.filter(wizard_token=wizard_token, status__in=[Payment.Status.PAID]).order_by("paid_at", "id"))


def payment_of_wizard(*, wizard_token, public_id) -> Payment | None:
    return Payment.objects.filter(wizard_token=wizard_token, public_id=public_id).first()


def totals(states: list[FeeState]) -> dict:
    rial = sum(state.fee.amount_rial for state in states if state.online)
    return {"rial": rial, "toman": rial // 10}


def income_by_service(*, start, end, services=None) -> list[dict]:
    """Live payments verified in [start, end) (dates, local time) per service: count, Rial paid,
    Rial refunded and net, largest first. Test-mode payments are not income."""
    start_at, end_at = _local_midnight(start), _local_midnight(end)
    paid = Payment.objects.filter(status=Payment.Status.PAID, mode=Gateway.Mode.LIVE, paid_at__gte=start_at, paid_at__lt=end_at)
    if services is not None:
        paid = paid.filter(service__in=services)
    rows = paid.values("service_title").annotate(
        count=Count("id"), paid=Sum("amount_rial"), refunded=Sum("amount_rial", filter=Q(refunded_at__isnull=False)),
    ).order_by("-paid", "service_title")
    return [{**row, "refunded": row["refunded"] or 0, "net": row["paid"] - (row["refunded"] or 0)} for row in rows]


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# The daily reconciliation report's columns: (key, Persian header), counts and Rial sums.
DAILY_COLUMNS = [
    ("paid", "پرداخت و تاییدشده"), ("reversed", "برگشت‌داده‌شده"), ("refunded", "بازپرداخت‌شده"),
    ("refund_pending", "بازپرداخت در انتظار واریز"), ("pending", "در انتظار تایید"), ("failed", "ناموفق یا لغوشده"),
]


def _daily_bucket(payment: Payment) -> list[str]:
    if payment.status == Payment.Status.PAID:
        extra = ["refunded"] if payment.refunded_at else (["refund_pending"] if payment.refund_decided_at else [])
        return ["paid", *extra]
    if payment.status == Payment.Status.REVERSED:
        return ["reversed"]
    if payment.status == Payment.Status.PENDING:
        return ["pending"]
    return ["failed"]


def daily_reconciliation(*, day) -> dict:
    """The payments begun on `day` (local), summed per gateway and per Sheba: the finance unit's
    daily reconciliation with the bank statements. Each row: {label…, <key>_count, <key>_rial}."""
    payments = list(Payment.objects.filter(created_at__gte=_local_midnight(day), created_at__lt=_local_midnight(day + timedelta(days=1)))
                    .select_related("gateway").order_by("created_at", "id"))
    by_gateway: dict = {}
    by_sheba: dict = {}
    for payment in payments:
        for table, key, labels in (
            (by_gateway, payment.gateway_id, {"title": payment.gateway.title, "provider": payment.gateway.get_provider_display(), "mode": payment.get_mode_display()}),
            (by_sheba, payment.sheba, {"sheba": payment.sheba, "bank": payment.bank}),
        ):
            row = table.setdefault(key, {**labels, **{f"{k}_{m}": 0 for k, _h in DAILY_COLUMNS for m in ("count", "rial")}})
            for bucket in _daily_bucket(payment):
                row[f"{bucket}_count"] += 1
                row[f"{bucket}_rial"] += payment.amount_rial
    return {"gateways": list(by_gateway.values()), "shebas": list(by_sheba.values()), "payments": payments}
