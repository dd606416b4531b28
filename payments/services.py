"""Use cases of payments: configure a gateway, start a payment, take its callback, reconcile.

The rules that keep money safe: a payment row exists (pending) before the citizen leaves for
the gateway; only a verification the provider answers server to server moves it to paid; a
replayed or forged callback changes nothing; a second successful payment of a fee already
paid is reversed at once, never recorded as paid.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Fee
from payments import error_codes
from payments.crypto import credentials_open, credentials_seal
from payments.hooks import request_states
from payments.models import Gateway, Payment
from payments.providers import client_for
from payments.providers.base import CANCELLED, FAILED, PAID, CallbackForged, GatewayRefused, GatewayUnreachable, Outcome
from payments.selectors import gateway_for_fee

log = logging.getLogger(__name__)


def gateway_save(*, gateway: Gateway | None = None, title: str, provider: str, mode: str, credentials: dict[str, str],
                 fees, collects_other_fees: bool, is_active: bool) -> Gateway:
    """Save a gateway; credentials given replace the stored ones, none keep them (never shown again)."""
    credentials = {key: value.strip() for key, value in credentials.items() if value and value.strip()}
    with transaction.atomic():
        gateway = gateway or Gateway()
        changed_provider = gateway.pk and gateway.provider != provider
        if not credentials and (not gateway.credentials_sealed or changed_provider):
            raise ValidationError(_("اطلاعات پذیرنده این درگاه را وارد کنید."), code=error_codes.CREDENTIALS_REQUIRED)
        gateway.title, gateway.provider, gateway.mode = title, provider, mode
        gateway.collects_other_fees, gateway.is_active = collects_other_fees, is_active
        if credentials:
            gateway.credentials_sealed = credentials_seal(credentials)
            gateway.credentials_hint = "".join(credentials.values())[-4:]
        gateway.save()
        gateway.fees.set(fees)
    return gateway


def _client(gateway: Gateway):
    return client_for(provider=gateway.provider, mode=gateway.mode, credentials=credentials_open(gateway.credentials_sealed))


def _record(payment: Payment, what: str, note: str = "") -> None:
    payment.history = [*payment.history, {"at": timezone.now().isoformat(), "what": what, "note": note[:300]}]
    if note:
        payment.note = note[:300]


def payment_start(*, wizard_token, fee: Fee, mobile: str, return_path: str, callback_url_for) -> tuple[Payment, str]:
    """A pending payment, committed, then registered with the provider: where to send the citizen.

    `callback_url_for(payment)` is the absolute callback address on the tenant's own host.
    """
    gateway = gateway_for_fee(fee)
    if gateway is None:
        raise ValidationError(_("برای این هزینه درگاه پرداختی تعیین نشده است."), code=error_codes.GATEWAY_MISSING)
    with transaction.atomic():
        if Payment.objects.filter(wizard_token=wizard_token, fee=fee, status=Payment.Status.PAID).exists():
            raise ValidationError(_("این هزینه پیش‌تر پرداخت شده است."), code=error_codes.FEE_ALREADY_PAID)
        payment = Payment.objects.create(
            wizard_token=wizard_token, service=fee.service, service_title=fee.service.title, fee=fee, fee_title=fee.title,
            amount_rial=int(fee.amount_rial), sheba=fee.sheba, bank=fee.bank, gateway=gateway, provider=gateway.provider,
            mode=gateway.mode, mobile=mobile, return_path=return_path, history=[{"at": timezone.now().isoformat(), "what": "created", "note": ""}],
        )
    try:
        started = _client(gateway).start(payment=payment, callback_url=callback_url_for(payment))
    except (GatewayUnreachable, GatewayRefused) as error:
        _record(payment, FAILED, f"start: {error}")
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status", "note", "history", "updated_at"])
        raise ValidationError(_("درگاه پرداخت پاسخ نداد؛ چند دقیقه دیگر دوباره تلاش کنید. مبلغی از حساب شما برداشته نشده است."),
                              code=error_codes.GATEWAY_UNREACHABLE) from None
    payment.authority = started.authority
    _record(payment, "redirected")
    payment.save(update_fields=["authority", "history", "updated_at"])
    return payment, started.redirect_url


def payment_callback(*, public_id, params: dict) -> Payment | None:
    """The citizen is back from the gateway. Checked against our row, then verified with the
    provider; a replay (the payment is no longer pending) or a forged callback changes nothing."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("gateway").filter(public_id=public_id).first()
        if payment is None or payment.status != Payment.Status.PENDING:
            return payment
        client = _client(payment.gateway)
        try:
            verdict = client.callback_read(payment=payment, params=params)
        except CallbackForged as forged:
            log.warning("payments: a callback for payment %s did not match it (%s); ignored", payment.pk, forged)
            return payment
        if verdict != PAID:
            _move(payment, verdict, "callback")
            return payment
        if params.get("RefNum"):
            payment.ref_num = str(params["RefNum"])[:100]
        _verify_and_settle(payment, client)
    return payment


def _verify_and_settle(payment: Payment, client) -> None:
    try:
        outcome = client.verify(payment=payment)
    except GatewayUnreachable as error:
        outcome = Outcome(state="pending", message=f"verify: {error}")
    _settle(payment, outcome, client)


def _settle(payment: Payment, outcome: Outcome, client) -> None:
    if outcome.state != PAID:
        if outcome.state in (FAILED, CANCELLED):
            _move(payment, outcome.state, outcome.message)
        else:
            _record(payment, "still pending", outcome.message)
            payment.save(update_fields=["ref_num", "note", "history", "updated_at"])
        return
    if outcome.amount_rial != payment.amount_rial:
        _reverse(payment, client, f"amount {outcome.amount_rial} is not {payment.amount_rial}", status=Payment.Status.FAILED)
        return
    reused = Payment.objects.filter(gateway=payment.gateway, reference=outcome.reference, status=Payment.Status.PAID).exclude(pk=payment.pk)
    if outcome.reference and reused.exists():
        _move(payment, FAILED, "reference of another payment")
        return
    already = Payment.objects.filter(wizard_token=payment.wizard_token, fee=payment.fee, status=Payment.Status.PAID).exclude(pk=payment.pk)
    payment.reference, payment.card_pan = outcome.reference[:64], outcome.card_pan[:32]
    if payment.fee_id and already.exists():
        _reverse(payment, client, "the fee was already paid", status=Payment.Status.REVERSED)
        return
    payment.status, payment.paid_at = Payment.Status.PAID, timezone.now()
    _record(payment, PAID, outcome.message)
    payment.save()


def _reverse(payment: Payment, client, why: str, *, status: str) -> None:
    try:
        reversed_ = client.reverse(payment=payment)
    except GatewayUnreachable:
        reversed_ = False
    payment.status = status
    _record(payment, "reversed" if reversed_ else "reverse refused", why)
    payment.save()


def _move(payment: Payment, state: str, note: str) -> None:
    payment.status = Payment.Status.CANCELLED if state == CANCELLED else Payment.Status.FAILED
    _record(payment, state, note)
    payment.save()


def payments_reconcile(*, now=None) -> int:
    """Ask the provider about every payment still pending after PAYMENTS_RECONCILE_AFTER_SECONDS
    (the citizen closed the browser, the callback was lost, the verify timed out); give up on one
    past its provider's verify window. Returns how many were settled."""
    now = now or timezone.now()
    settled = 0
    due = Payment.objects.filter(status=Payment.Status.PENDING, created_at__lte=now - timedelta(seconds=settings.PAYMENTS_RECONCILE_AFTER_SECONDS))
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            payment = Payment.objects.select_for_update(skip_locked=True).select_related("gateway").filter(pk=pk, status=Payment.Status.PENDING).first()
            if payment is None:
                continue
            settled += _reconcile_one(payment, now)
    return settled


def _reconcile_one(payment: Payment, now) -> int:
    client = _client(payment.gateway)
    if not payment.authority:
        _move(payment, FAILED, "never reached the gateway")
        return 1
    try:
        outcome = client.inquire(payment=payment)
    except GatewayUnreachable as error:
        outcome = Outcome(state="pending", message=f"inquiry: {error}")
    expired = now - payment.created_at > timedelta(seconds=client.verify_window_seconds + 5 * 60)
    if outcome.state == "pending" and expired:
        outcome = Outcome(state=FAILED, message="not verified within the provider's window; the provider returns the money")
    _settle(payment, outcome, client)
    return 0 if outcome.state == "pending" else 1


def payment_refund_decide(*, payment: Payment, actor: str, reason: str, reference: str = "") -> Payment:
    """Staff decide to give a paid fee back (the request was rejected, or never submitted); the
    refund itself is a bank transfer from the account, whose reference is recorded when known."""
    reason, reference = reason.strip(), reference.strip()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        state = request_states([payment.wizard_token]).get(payment.wizard_token)
        if payment.status != Payment.Status.PAID or (state is not None and not state.refundable):
            raise ValidationError(_("بازپرداخت فقط برای پرداختی ممکن است که درخواستش رد شده یا هرگز ثبت نشده است."), code=error_codes.REFUND_NOT_ALLOWED)
        if not payment.refund_decided_at:
            if not reason:
                raise ValidationError(_("دلیل بازپرداخت را بنویسید."), code=error_codes.REFUND_REASON_REQUIRED)
            payment.refund_decided_at, payment.refund_decided_by, payment.refund_reason = timezone.now(), actor, reason[:500]
            _record(payment, "refund decided", actor)
        elif not reference:
            raise ValidationError(_("شماره پیگیری واریز بانکی بازپرداخت را وارد کنید."), code=error_codes.REFUND_REFERENCE_REQUIRED)
        if reference and not payment.refunded_at:
            payment.refund_reference, payment.refunded_at = reference[:64], timezone.now()
            _record(payment, "refunded", actor)
        payment.save()
    return payment
