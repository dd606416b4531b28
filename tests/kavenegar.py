"""A local Kavenegar: answers /v1/{API-KEY}/sms/send.json on a pytest-httpserver as
Kavenegar's REST API does (the `kavenegar` fixture in tests/conftest.py starts one), including
`localid`: a message whose localid was already sent is answered with that send, not sent again."""

from __future__ import annotations

import json
import threading

from werkzeug import Response

API_KEY = "4A6F7E2B9C1D-TEST-KEY-5E8F0A3B"
SENDER = "10004346"


class FakeKavenegar:
    """Answers like Kavenegar; `down` makes it answer 500, `refuse` with a JSON error status,
    `hang` (seconds) makes it take that long before answering (a client with a shorter
    time-out gives up; Kavenegar has sent the message all the same). `received` holds every
    request, `sent` every message it sent (once per localid)."""

    def __init__(self, server):
        self.server, self.down, self.refuse, self.next_id = server, False, None, 8792343
        self._hang, self._wake = 0.0, threading.Event()
        self.received: list[dict] = []
        self.sent: list[dict] = []
        self._by_localid: dict[str, dict] = {}
        self._lock = threading.Lock()
        server.expect_request(f"/v1/{API_KEY}/sms/send.json", method="POST").respond_with_handler(self._handle)

    @property
    def hang(self) -> float:
        return self._hang

    @hang.setter
    def hang(self, seconds: float) -> None:
        """Set to 0, it also ends the waits under way (their answers leave at once)."""
        self._hang = seconds
        if seconds:
            self._wake.clear()
        else:
            self._wake.set()

    @property
    def base_url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def _handle(self, request):
        self.received.append({"path": request.path, "form": request.form.to_dict(), "content_type": request.content_type})
        if self.down:
            return Response("<html><body>500 Internal Server Error</body></html>", status=500, content_type="text/html")
        if self.refuse:
            body = {"return": {"status": self.refuse, "message": "گیرنده معتبر نیست"}, "entries": None}
            return Response(json.dumps(body, ensure_ascii=False), status=self.refuse, content_type="application/json")
        hang = self.hang
        entry = self._send(request.form)
        if hang:
            self._wake.wait(hang)
        body = {"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]}
        return Response(json.dumps(body, ensure_ascii=False), status=200, content_type="application/json")

    def _send(self, form) -> dict:
        localid = form.get("localid", "")
        with self._lock:
            if localid and localid in self._by_localid:
                return self._by_localid[localid]
            self.next_id += 1
            entry = {
                "messageid": self.next_id, "message": form["message"], "status": 1, "statustext": "در صف ارسال",
                "sender": form.get("sender", SENDER), "receptor": form["receptor"], "date": 1356619709, "cost": 120,
            }
            if localid:
                entry["localid"] = localid
                self._by_localid[localid] = entry
            self.sent.append(entry)
            return entry
