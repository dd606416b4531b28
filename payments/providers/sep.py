"""Saman Electronic Payment (SEP, بانک سامان)'s token gateway: token (onlinepg), SendToken,
the POSTed callback, VerifyTransaction and ReverseTransaction. Amounts in Rial.

Deadlines (SEP's documentation): a payment not verified within 30 minutes is reversed by SEP
itself, back to the card. SEP's verify takes the RefNum that only the callback carries, so a
payment whose callback never came cannot be verified: the reconciliation task waits out the
30 minutes and records it as not paid (SEP has given the money back by then).
"""

from __future__ import annotations

from django.conf import settings

from payments.providers.base import CANCELLED, FAILED, PAID, PENDING, CallbackForged, GatewayRefused, Outcome, ProviderClient, Started

DUPLICATE_VERIFY = 2  # ResultCode: this RefNum was verified before (our own verify that timed out)


class SepClient(ProviderClient):
    credential_fields = (("terminal_id", "شماره پایانه (ترمینال)"),)
    verify_window_seconds = 30 * 60

    @property
    def base(self) -> str:
        return settings.PAYMENTS_SEP_BASE.rstrip("/")

    @property
    def terminal(self) -> str:
        return self.credentials.get("terminal_id", "")

    def start(self, *, payment, callback_url: str) -> Started:
        answer = self._post_json(f"{self.base}/onlinepg/onlinepg", {
            "action": "token", "TerminalId": self.terminal, "Amount": payment.amount_rial,
            "ResNum": payment.order_id, "RedirectUrl": callback_url, "CellNumber": payment.mobile,
        })
        if str(answer.get("status")) != "1" or not answer.get("token"):
            raise GatewayRefused(answer.get("errorCode", "?"), str(answer.get("errorDesc", "")))
        return Started(authority=answer["token"], redirect_url=f"{self.base}/OnlinePG/SendToken?token={answer['token']}")

    def callback_read(self, *, payment, params: dict) -> str:
        if params.get("ResNum") != payment.order_id:
            raise CallbackForged("order id")
        if (params.get("TerminalId") or params.get("MID")) != self.terminal:
            raise CallbackForged("terminal")
        if params.get("State") == "OK" and str(params.get("Status")) == "2":
            if not params.get("RefNum"):
                raise CallbackForged("ref num")
            return PAID
        return CANCELLED if str(params.get("Status")) == "1" else FAILED

    def _transaction(self, name: str, payment) -> dict:
        return self._post_json(f"{self.base}/verifyTxnRandomSessionkey/ipg/{name}", {"RefNum": payment.ref_num, "TerminalNumber": int(self.terminal or 0)})

    def verify(self, *, payment) -> Outcome:
        answer = self._transaction("VerifyTransaction", payment)
        code = answer.get("ResultCode")
        if code not in (0, DUPLICATE_VERIFY):
            return Outcome(state=FAILED if code in (-2, -6, -104, -105, -106) else PENDING, message=f"{code}: {answer.get('ResultDescription', '')}"[:300])
        detail = answer.get("TransactionDetail") or {}
        return Outcome(
            state=PAID, reference=str(detail.get("RRN", "")), card_pan=str(detail.get("MaskedPan", "") or ""),
            amount_rial=int(detail.get("OrginalAmount") or 0), message=str(code),
        )

    def inquire(self, *, payment) -> Outcome:
        if payment.ref_num:
            return self.verify(payment=payment)
        return Outcome(state=PENDING, message="no callback yet")

    def reverse(self, *, payment) -> bool:
        if not payment.ref_num:
            return False
        return self._transaction("ReverseTransaction", payment).get("ResultCode") == 0


