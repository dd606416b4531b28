"""A local Kavenegar: answers /v1/{API-KEY}/sms/send.json on a pytest-httpserver as
Kavenegar's REST API does (the `kavenegar` fixture in tests/conftest.py starts one)."""

from __future__ import annotations

import json

from werkzeug import Response

API_KEY = "4A6F7E2B9C1D-TEST-KEY-5E8F0A3B"
SENDER = "10004346"


class FakeKavenegar:
    """Answers like Kavenegar; `down` makes it answer 500, `refuse` with a JSON error status."""

    def __init__(self, server):
        self.server, self.down, self.refuse, self.next_id = server, False, None, 8792343
        self.received: list[dict] = []
        server.expect_request(f"/v1/{API_KEY}/sms/send.json", method="POST").respond_with_handler(self._handle)

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
        self.next_id += 1
        form = request.form
        entry = {
            "messageid": self.next_id, "message": form["message"], "status": 1, "statustext": "در صف ارسال",
            "sender": form.get("sender", SENDER), "receptor": form["receptor"], "date": 1356619709, "cost": 120,
        }
        body = {"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]}
        return Response(json.dumps(body, ensure_ascii=False), status=200, content_type="application/json")
