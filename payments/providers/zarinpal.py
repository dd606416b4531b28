"""Zarinpal's REST API v4 (docs.zarinpal.com/paymentGateway): request, StartPay, callback,
verify, inquiry, reverse. Amounts are sent in Rial (`currency: IRR`).

Deadlines (Zarinpal's documentation): a payment the merchant does not verify is returned to
the payer by Zarinpal; a verified one can be reversed only within 30 minutes of the payment.
The callback (GET ?Authority=…&Status=OK|NOK) proves nothing: whatever it says, we verify.
"""

from __future__ import annotations

from django.conf import settings

from payments.providers.base import FAILED, PAID, PENDING, CallbackForged, GatewayRefused, Outcome, ProviderClient, Started

ALREADY_VERIFIED = 101
NOT_PAID = -51  # "Session is not valid, session is not active paid try"
AMOUNT_MISMATCH = -50


class ZarinpalClient(ProviderClient):
    credential_fields = (("merchant_id", "شناسه پذیرنده (مرچنت)"),)
    verify_window_seconds = 30 * 60

    @property
    def base(self) -> str:
        live = self.mode == "live"
        return (settings.PAYMENTS_ZARINPAL_BASE if live else settings.PAYMENTS_ZARINPAL_SANDBOX_BASE).rstrip("/")

    def _call(self, name: str, body: dict) -> dict:
        answer = self._post_json(f"{self.base}/pg/v4/payment/{name}.json", {"merchant_id": self.credentials.get("merchant_id", ""), **body})
        data = answer.get("data")
        if isinstance(data, dict) and data.get("code") in (100, ALREADY_VERIFIED):
            return data
        errors = answer.get("errors") or {}
        raise GatewayRefused(errors.get("code", "?") if isinstance(errors, dict) else "?", errors.get("message", "") if isinstance(errors, dict) else "")

    def start(self, *, payment, callback_url: str) -> Started:
        data = self._call("request", {
            "amount": payment.amount_rial, "currency": "IRR", "callback_url": callback_url,
            "description": f"{payment.fee_title} — {payment.service_title}"[:500],
            "metadata": {"mobile": payment.mobile, "order_id": payment.order_id},
        })
        return Started(authority=data["authority"], redirect_url=f"{self.base}/pg/StartPay/{data['authority']}")

    def callback_read(self, *, payment, params: dict) -> str:
        """Whatever Status says (OK or NOK), the verify decides: a NOK someone else sent must
        not close a payment the citizen made (an unpaid one answers -51 and is closed then)."""
        if not payment.authority or params.get("Authority") != payment.authority:
            raise CallbackForged("authority")
        return PAID

    def verify(self, *, payment) -> Outcome:
        try:
            data = self._call("verify", {"amount": payment.amount_rial, "authority": payment.authority})
        except GatewayRefused as refused:
            state = FAILED if refused.code in (NOT_PAID, AMOUNT_MISMATCH, -54, -53, -52) else PENDING
            return Outcome(state=state, message=f"{refused.code}: {refused.message}"[:300])
        return Outcome(state=PAID, reference=str(data.get("ref_id", "")), card_pan=str(data.get("card_pan", "") or ""),
                       amount_rial=payment.amount_rial, message=str(data.get("code")))

    def inquire(self, *, payment) -> Outcome:
        if not payment.authority:
            return Outcome(state=FAILED, message="no authority")
        try:
            data = self._call("inquiry", {"authority": payment.authority})
        except GatewayRefused as refused:
            return Outcome(state=FAILED if refused.code == -54 else PENDING, message=f"{refused.code}: {refused.message}"[:300])
        status = data.get("status")
        if status in ("PAID", "VERIFIED"):
            return self.verify(payment=payment)
        if status in ("FAILED", "REVERSED"):
            return Outcome(state=FAILED, message=status)
        return Outcome(state=PENDING, message=str(status))  # IN_BANK: the citizen is still at the bank

    def reverse(self, *, payment) -> bool:
        try:
            self._call("reverse", {"authority": payment.authority})
        except GatewayRefused:
            return False
        return True


