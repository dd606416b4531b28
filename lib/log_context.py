"""What every log line says besides its message: the tenant's schema and the request's ID.

`request_id` is a context variable: `RequestIdMiddleware` (first in MIDDLEWARE) sets it from a
well-formed `X-Request-ID` of the ingress or a new one, returns it in the response's header,
and it stays until Django's `request_finished`, which gunicorn sends after its access-log line,
so that line carries it too. A Celery task takes the ID of the request that queued it
(mizban/celery.py). `JsonFormatter` writes one JSON object per line with the schema the
connection is on; the records it reads were redacted of citizens' codes where they were made
(lib/log_redaction.py), so JSON lines hold none either.

No Django import at module level: gunicorn.conf.py uses the formatter before Django is set up.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone

from lib.log_redaction import redact_text

request_id: ContextVar[str] = ContextVar("mizban_request_id", default="")
# An ID from the ingress is kept when it looks like one (nginx's $request_id, a UUID): nothing
# a client can use to break a line or a JSON string.
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
HEADER = "X-Request-ID"


def request_id_new(offered: str | None = None) -> str:
    return offered if offered and _GOOD_ID.fullmatch(offered) else uuid.uuid4().hex


def current_schema() -> str:
    """The schema the thread's database connection is on ("public" before Django is ready)."""
    from django.conf import settings

    if not settings.configured:  # gunicorn's master: a log line must not load the settings
        return "public"
    try:
        from django.db import connection

        return getattr(connection, "schema_name", "") or "public"
    except Exception:  # a line written while the connection is being set up or torn down
        return "public"


class RequestIdMiddleware:
    def __init__(self, get_response):
        from django.core.signals import request_finished

        self.get_response = get_response
        request_finished.connect(request_id_clear, dispatch_uid="mizban_request_id_clear")

    def __call__(self, request):
        value = request_id_new(request.META.get("HTTP_X_REQUEST_ID"))
        request_id.set(value)
        request.request_id = value
        response = self.get_response(request)
        response[HEADER] = value
        return response


def request_id_clear(**_kwargs) -> None:
    """`request_finished`: lines logged between requests belong to none."""
    request_id.set("")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, schema,
    request_id, process; `exception` with the (redacted) traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "schema": current_schema(),
            "request_id": request_id.get(),
            "process": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)
