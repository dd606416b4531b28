"""A local Zarinpal (REST v4) and a local SEP (Saman's token gateway) on one loopback HTTP
server, speaking their real protocols: the API calls our server makes (request/token, verify,
inquiry, reverse) and the pages the citizen's browser sees (StartPay, SendToken), in Persian.
The `payment_gateways` fixture (tests/conftest.py) serves it for the whole session.

A test drives the citizen's side with `zarinpal_pay`/`sep_pay` (the page's buttons), or the
browser clicks them. Switches: `hang` (verify and inquiry answer after the client's time-out),
`decline` (the bank refuses the card), `paid_amount` (the bank charged another amount).
"""

from __future__ import annotations

import html
import itertools
import json
import threading
from urllib.parse import urlencode

from werkzeug import Request, Response
from werkzeug.serving import make_server

ZARINPAL_MERCHANT = "1344b5d4-0048-11e8-94db-005056a205be"
SEP_TERMINAL = "21436587"
OTHER_MERCHANT = "99999999-0048-11e8-94db-005056a205be"  # beta's gateway


class FakeGateways:
    def __init__(self):
        self.lock = threading.Lock()
        self.counter = itertools.count(1000001)
        self.release = threading.Event()
        self.reset()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        self.zarinpal: dict[str, dict] = {}  # authority -> transaction
        self.sep: dict[str, dict] = {}  # token -> transaction
        self.calls: list[tuple[str, dict]] = []
        self.hang = False
        self.decline = False
        self.paid_amount: int | None = None
        self.release.set()
        self.release = threading.Event()

    def stop(self):
        self.release.set()
        self.server.shutdown()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    # --- the citizen's side --------------------------------------------------------------
    def zarinpal_pay(self, authority: str, *, cancel: bool = False) -> str:
        """The citizen pays (or cancels) on StartPay; the address the browser is sent back to."""
        return self._zarinpal_finish(authority, cancel)

    def sep_pay(self, token: str, *, cancel: bool = False) -> tuple[str, dict]:
        """The citizen pays (or cancels) on SEP's page; the address and form SEP posts back."""
        return self._sep_finish(token, cancel)

    # --- the server --------------------------------------------------------------------
    def _app(self, environ, start_response):
        request = Request(environ)
        return self._route(request)(environ, start_response)

    def _route(self, request) -> Response:
        path = request.path
        body = request.get_json(silent=True) or {}
        self.calls.append((path, body))
        if path.startswith("/pg/v4/payment/"):
            return self._zarinpal_api(path.rsplit("/", 1)[1].removesuffix(".json"), body)
        if path.startswith("/pg/StartPay/"):
            parts = path.split("/")
            if len(parts) == 5 and parts[4] in ("pay", "cancel"):
                return Response(status=302, headers={"Location": self._zarinpal_finish(parts[3], parts[4] == "cancel")})
            return self._page(f"/pg/StartPay/{parts[3]}/pay", f"/pg/StartPay/{parts[3]}/cancel", "GET", self.zarinpal.get(parts[3]))
        if path == "/onlinepg/onlinepg":
            return self._sep_token(body)
        if path == "/OnlinePG/SendToken":
            token = request.args.get("token", "")
            return self._page("/OnlinePG/pay", "/OnlinePG/cancel", "POST", self.sep.get(token), token=token)
        if path in ("/OnlinePG/pay", "/OnlinePG/cancel"):
            url, form = self._sep_finish(request.form.get("token", ""), path.endswith("cancel"))
            fields = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}">' for k, v in form.items())
            return self._html(f'<form method="post" action="{html.escape(url)}">{fields}<button type="submit">بازگشت به سایت پذیرنده</button></form>')
        if path.startswith("/verifyTxnRandomSessionkey/ipg/"):
            return self._sep_api(path.rsplit("/", 1)[1], body)
        return Response("not found", status=404)

    def _json(self, body) -> Response:
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")

    def _html(self, inner: str) -> Response:
        return Response(f'<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>درگاه پرداخت آزمایشی</title></head>'
                        f"<body><h1>درگاه پرداخت آزمایشی</h1>{inner}</body></html>", content_type="text/html; charset=utf-8")

    def _page(self, pay: str, cancel: str, method: str, txn, token: str = "") -> Response:
        if txn is None:
            return self._html("<p>تراکنش یافت نشد.</p>")
        hidden = f'<input type="hidden" name="token" value="{html.escape(token)}">' if token else ""
        return self._html(
            f"<p>مبلغ: {txn['amount']} ریال</p>"
            f'<form method="{method}" action="{pay}">{hidden}<button type="submit">پرداخت</button></form>'
            f'<form method="{method}" action="{cancel}">{hidden}<button type="submit">انصراف</button></form>'
        )

    def _wait_if_hanging(self):
        if self.hang:
            self.release.wait(30)

    # Zarinpal ----------------------------------------------------------------------------
    def _zarinpal_api(self, name: str, body: dict) -> Response:
        if name == "request":
            if body.get("merchant_id") not in (ZARINPAL_MERCHANT, OTHER_MERCHANT):
                return self._json({"data": [], "errors": {"code": -9, "message": "The input params invalid, validation error.", "validations": [{"merchant_id": "The merchant id is invalid."}]}})
            authority = f"A{next(self.counter):035d}"
            with self.lock:
                self.zarinpal[authority] = {"merchant": body["merchant_id"], "amount": body["amount"], "callback": body["callback_url"],
                                            "status": "IN_BANK", "ref_id": None, "metadata": body.get("metadata", {})}
            return self._json({"data": {"code": 100, "message": "Success", "authority": authority, "fee_type": "Merchant", "fee": 0}, "errors": []})
        txn = self.zarinpal.get(body.get("authority", ""))
        if txn is None or txn["merchant"] != body.get("merchant_id"):
            return self._json({"data": [], "errors": {"code": -54, "message": "Invalid authority.", "validations": []}})
        self._wait_if_hanging()
        if name == "verify":
            if txn["status"] == "VERIFIED":
                return self._json({"data": {"code": 101, "message": "Verified", "ref_id": txn["ref_id"], "card_pan": "502229******5995"}, "errors": []})
            if txn["status"] != "PAID":
                return self._json({"data": [], "errors": {"code": -51, "message": "Session is not valid, session is not active paid try.", "validations": []}})
            if int(body.get("amount", 0)) != txn["paid"]:
                return self._json({"data": [], "errors": {"code": -50, "message": "Session is not valid, amounts values is not the same.", "validations": []}})
            txn["status"] = "VERIFIED"
            return self._json({"data": {"code": 100, "message": "Verified", "card_hash": "1EBE3EBEBE35C7EC0F8D6EE4F2F859107A87822CA179BC9528767EA7B5489B69",
                                        "card_pan": "502229******5995", "ref_id": txn["ref_id"], "fee_type": "Merchant", "fee": 0}, "errors": []})
        if name == "inquiry":
            return self._json({"data": {"code": 100, "message": "Success", "status": txn["status"]}, "errors": []})
        if name == "reverse":
            if txn["status"] != "VERIFIED":
                return self._json({"data": [], "errors": {"code": -62, "message": "Transaction not verified.", "validations": []}})
            txn["status"] = "REVERSED"
            return self._json({"data": {"code": 100, "message": "Reversed"}, "errors": []})
        return Response("not found", status=404)

    def _zarinpal_finish(self, authority: str, cancel: bool) -> str:
        txn = self.zarinpal[authority]
        ok = not cancel and not self.decline
        if ok:
            txn.update(status="PAID", ref_id=next(self.counter), paid=self.paid_amount or txn["amount"])
        else:
            txn["status"] = "FAILED"
        return f"{txn['callback']}?{urlencode({'Authority': authority, 'Status': 'OK' if ok else 'NOK'})}"

    # SEP ----------------------------------------------------------------------------------
    def _sep_token(self, body: dict) -> Response:
        if body.get("TerminalId") != SEP_TERMINAL or str(body.get("action", "")).lower() != "token":
            return self._json({"status": -1, "errorCode": 5, "errorDesc": "پذیرنده معتبر نیست"})
        token = f"{next(self.counter):x}" * 2
        with self.lock:
            self.sep[token] = {"terminal": body["TerminalId"], "amount": body["Amount"], "callback": body["RedirectUrl"],
                               "resnum": body["ResNum"], "status": "NEW", "refnum": None, "rrn": None}
        return self._json({"status": 1, "token": token})

    def _sep_finish(self, token: str, cancel: bool) -> tuple[str, dict]:
        txn = self.sep[token]
        form = {"MID": txn["terminal"], "TerminalId": txn["terminal"], "ResNum": txn["resnum"], "Token": token}
        if cancel:
            txn["status"] = "CANCELLED"
            form.update(State="CanceledByUser", Status="1")
        elif self.decline:
            txn["status"] = "FAILED"
            form.update(State="Failed", Status="3")
        else:
            paid = self.paid_amount or txn["amount"]
            txn.update(status="PAID", refnum=f"GmshtyjwKSu{next(self.counter)}", rrn=str(next(self.counter)), paid=paid)
            form.update(State="OK", Status="2", RefNum=txn["refnum"], RRN=txn["rrn"], TraceNo=str(next(self.counter)),
                        Amount=str(paid), SecurePan="621986******8080", HashedCardNumber="c5a...")
        return txn["callback"], form

    def _sep_api(self, name: str, body: dict) -> Response:
        txn = next((t for t in self.sep.values() if t["refnum"] and t["refnum"] == body.get("RefNum")), None)
        if txn is None or str(txn["terminal"]) != str(body.get("TerminalNumber")):
            return self._json({"TransactionDetail": None, "ResultCode": -2, "ResultDescription": "تراکنش یافت نشد.", "Success": False})
        self._wait_if_hanging()
        detail = {"RRN": txn["rrn"], "RefNum": txn["refnum"], "MaskedPan": "621986******8080", "HashedPan": "c5a...",
                  "TerminalNumber": int(txn["terminal"]), "OrginalAmount": txn["paid"], "AffectiveAmount": txn["paid"],
                  "StraceDate": "2026-12-01 10:12:33", "StraceNo": "100345"}
        if name == "VerifyTransaction":
            if txn["status"] == "VERIFIED":
                return self._json({"TransactionDetail": detail, "ResultCode": 2, "ResultDescription": "درخواست تکراری است.", "Success": False})
            if txn["status"] != "PAID":
                return self._json({"TransactionDetail": None, "ResultCode": -2, "ResultDescription": "تراکنش یافت نشد.", "Success": False})
            txn["status"] = "VERIFIED"
            return self._json({"TransactionDetail": detail, "ResultCode": 0, "ResultDescription": "عملیات با موفقیت انجام شد", "Success": True})
        if name == "ReverseTransaction":
            if txn["status"] not in ("PAID", "VERIFIED"):
                return self._json({"TransactionDetail": None, "ResultCode": -2, "ResultDescription": "تراکنش یافت نشد.", "Success": False})
            txn["status"] = "REVERSED"
            return self._json({"TransactionDetail": detail, "ResultCode": 0, "ResultDescription": "عملیات با موفقیت انجام شد", "Success": True})
        return Response("not found", status=404)
