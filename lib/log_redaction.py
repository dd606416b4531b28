"""No log line and no Sentry event holds a citizen's codes: a tracking code (16 digits), a
national code (10 digits), a one-time code (6 digits, as SMS texts write them in Persian
digits), a mobile number (09…, +989…, 00989…, 989…) or a survey link's token (`/survey/<token>/`,
which opens the citizen's survey to whoever holds it). They reach logs through access-log lines
(`/staff/requests/?q=…`, `GET /survey/…`), messages that quote an SMS's text or a gateway's
error, and exceptions; every record is redacted once, where it is made.

`redact_text` is the rule; `RedactCodesFilter` applies it to a handler's records (LOGGING,
gunicorn.conf.py); `install_record_redaction` applies it to every record of the process, also
those of loggers with handlers of their own (Celery's, gunicorn's access log); and
`sentry_before_send` to every Sentry event. This module imports nothing of Django, so that
gunicorn's configuration can use it before the application is loaded.
"""

from __future__ import annotations

import logging
import re
import traceback
from urllib.parse import parse_qsl, quote

MASK = "[redacted]"
_DIGIT = "[0-9۰-۹٠-٩]"
# Mobile numbers in every form normalize_mobile accepts, in any digits: 09xxxxxxxxx, 989…,
# +989…, 00989… (11-digit service and legal IDs start with 1 and stay readable).
_NINE, _EIGHT, _ZERO = "[9۹٩]", "[8۸٨]", "[0۰٠]"
_MOBILE = rf"(?:\+{_NINE}{_EIGHT}|{_ZERO}{{2}}{_NINE}{_EIGHT}|{_NINE}{_EIGHT}|{_ZERO}){_NINE}{_DIGIT}{{9}}"
# Whole numbers only (not part of a longer number, word or identifier): mobiles; 16 and 10 digits in any
# digits; 6 in Persian or Arabic-Indic digits, as every SMS text writes a one-time code (ASCII
# 6-digit numbers are ids, ports and pids in our logs; a code typed into a URL is caught by
# its parameter's name below).
_CODES = re.compile(
    rf"(?<![\w.-])(?:{_MOBILE}|{_DIGIT}{{16}}|{_DIGIT}{{10}}|[۰-۹٠-٩]{{6}})(?![\w-])"
)
# A survey link's token is a bearer of the survey (no sign-in): the path segment after /survey/.
_SURVEY_LINK = re.compile(r"(/survey/)[^/\s\"'?#]+")
# Query or form parameters whose values are a citizen's codes or a search for them.
SENSITIVE_PARAMETERS = frozenset({
    "q", "code", "codes", "otp", "identity", "national_code", "tracking_code", "mobile", "login", "phone", "token",
})
_QUERY = re.compile(r"\?([^\s\"'#]*)")


def redact_text(text: str) -> str:
    """`text` with sensitive query values and every code-like number replaced by MASK."""
    if not text:
        return text
    return _CODES.sub(MASK, _SURVEY_LINK.sub(rf"\g<1>{MASK}", _QUERY.sub(_redact_query, text)))


def _redact_query(match: re.Match) -> str:
    pairs = parse_qsl(match.group(1), keep_blank_values=True)
    if not pairs or not any(name.lower() in SENSITIVE_PARAMETERS for name, _ in pairs):
        return match.group(0)
    return "?" + "&".join(
        f"{quote(name)}={MASK if name.lower() in SENSITIVE_PARAMETERS else quote(value)}" for name, value in pairs
    )


def redact_record(record: logging.LogRecord) -> None:
    """Format the record's message now and store it redacted, with its traceback."""
    if getattr(record, "_mizban_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave it to the handler, which reports it
        return
    record.msg, record.args = redact_text(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_text("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)
    # gunicorn's access-log formats read the request line from `record.args` too: it is gone.
    record._mizban_redacted = True


class RedactCodesFilter(logging.Filter):
    """For a handler: every record it writes is redacted first."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_installed = False


def install_record_redaction() -> None:
    """Redact every record this process makes, whichever logger and handler it goes to."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args, **kwargs):
        record = make_record(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(redacted_record)
    _installed = True


def sentry_before_send(event: dict, hint: dict | None = None) -> dict:
    """Sentry's `before_send`: the event with every string redacted, and masked whole: the values
    of sensitive parameters and variables (query string, form data, a frame's locals named
    `…code`, `…otp`, `…identity`) and any value that is six digits by itself."""
    return _scrub(event)


_WHOLE_CODE = re.compile(r"'?[0-9۰-۹]{6}'?")  # a value that is a one-time code by itself (Sentry repr()s locals)


def _sensitive_name(name: str) -> bool:
    name = name.lower()
    return name in SENSITIVE_PARAMETERS or name.endswith(("code", "otp", "identity"))


def _scrub(value, key: str = ""):
    if isinstance(value, dict):
        return {k: (MASK if _sensitive_name(str(k)) and not isinstance(v, (dict, list)) else _scrub(v, str(k)))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        # Sentry sends query strings as [[name, value], …] pairs.
        if len(value) == 2 and isinstance(value[0], str) and _sensitive_name(value[0]):
            return [value[0], MASK]
        return [_scrub(item, key) for item in value]
    if isinstance(value, str):
        if key == "query_string":
            return _QUERY.sub(_redact_query, "?" + value)[1:]
        return MASK if _WHOLE_CODE.fullmatch(value) else redact_text(value)
    return value
