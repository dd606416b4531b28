"""The rule that keeps citizens' codes out of logs and Sentry (lib/log_redaction.py): tracking
codes (16 digits), national codes (10), one-time codes as SMS texts write them (6 Persian
digits), mobile numbers in every form and survey links' tokens become «[redacted]» wherever
they stand, and the values of parameters that carry them (`?q=`, `code`, `otp`, `identity`, …)
whatever they hold; other numbers (service and legal IDs, ids, ports) stay readable."""

from __future__ import annotations

import gzip
import json
import logging

import pytest
import sentry_sdk

from lib.log_redaction import MASK, RedactCodesFilter, redact_text, sentry_before_send

TRACKING, NATIONAL, OTP = "6964909502413290", "0084575948", "۴۸۲۹۱۷"
MOBILE, SURVEY_TOKEN = "09121234567", "kq3Zr_8-XbT0aPq1sLm2vN4w"


@pytest.mark.parametrize("line, kept", [
    (f'"GET /staff/requests/?q={TRACKING}&page=2 HTTP/1.1" 200 5120', "page=2"),
    (f'"GET /staff/requests/?q=%D9%85%D8%B1%DB%8C%D9%85 HTTP/1.1" 200', "/staff/requests/?q="),
    (f"SMS to {MOBILE}: کد تایید میز خدمت: {OTP}\nاین کد ۱۰ دقیقه اعتبار دارد", "SMS to [redacted]: "),
    (f"رسید: کد رهگیری ۶۹۶۴۹۰۹۵۰۲۴۱۳۲۹۰ برای کد ملی {NATIONAL}", "رسید: کد رهگیری"),
    (f"GET /track/?code=5550&identity=x&otp=834712 HTTP/1.1", "GET /track/?code="),
    (f"Not Found: /track/request/{TRACKING}/", "Not Found: /track/request/"),
    (f'"GET /survey/{SURVEY_TOKEN}/ HTTP/1.1" 200 4096', '"GET /survey/[redacted]/ HTTP/1.1" 200 4096'),
    (f"نظرسنجی: https://alpha.mizban.ir/survey/{SURVEY_TOKEN}/ لطفاً نظر دهید", "https://alpha.mizban.ir/survey/[redacted]/ "),
    ("SMS 812 not sent (attempt 2): 411 receptor +989121234567 is not valid", "SMS 812 not sent (attempt 2): 411 receptor [redacted] is"),
    ("to 989121234567, 00989121234567 and ۰۹۱۲۱۲۳۴۵۶۷", "to [redacted], [redacted] and [redacted]"),
    ('Key (mobile)=(09121234567) already exists', "Key (mobile)=([redacted])"),
])
def test_codes_and_sensitive_parameters_are_masked(line, kept):
    redacted = redact_text(line)
    assert MASK in redacted and kept in redacted
    for secret in (TRACKING, "۶۹۶۴۹۰۹۵۰۲۴۱۳۲۹۰", NATIONAL, OTP, "834712", "5550", "مریم", "%D9%85", SURVEY_TOKEN, "9121234567", "۹۱۲۱۲۳۴۵۶۷"):
        assert secret not in redacted


def test_other_numbers_stay_readable():
    line = ("SMS 123456 not sent (attempt 3) on port 8000; task 4b1c-1234567890-ab took 0.1234567890 s; "
            "service 10901010100, body 14000000001, GET /services/10901010100/ /staff/surveys/12/")
    assert redact_text(line) == line


def test_a_handlers_filter_redacts_the_message_its_arguments_and_the_traceback(caplog):
    logger = logging.getLogger("tests.redaction")
    handler = logging.Handler()
    handler.addFilter(RedactCodesFilter())
    records = []
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"no request {TRACKING}")
        except ValueError:
            logger.error("look-up of %s with %s failed", TRACKING, NATIONAL, exc_info=True)
    finally:
        logger.removeHandler(handler)
    (record,) = records
    text = logging.Formatter().format(record)
    assert "look-up of [redacted] with [redacted] failed" in text and "ValueError: no request [redacted]" in text
    assert TRACKING not in text and NATIONAL not in text


def test_every_record_of_the_process_is_redacted_where_it_is_made():
    """The settings install the record factory: a logger with its own handler, such as
    gunicorn's access log or Celery's, gets redacted records too."""
    record = logging.getLogger("gunicorn.access").makeRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', ({"h": "127.0.0.1", "r": f"GET /staff/requests/?q={NATIONAL} HTTP/1.1", "s": "200"},), None)
    assert record.getMessage() == '127.0.0.1 "GET /staff/requests/?q=[redacted] HTTP/1.1" 200'


def test_sentry_events_leave_without_codes(httpserver):
    """A real Sentry client sends its envelope to a local endpoint: nothing in it holds a code."""
    httpserver.expect_request("/api/1/envelope/", method="POST").respond_with_data("{}")
    typed_otp = str(417 * 2001)  # not written out: Sentry sends the source lines around a frame
    sentry_sdk.init(dsn=f"http://public@127.0.0.1:{httpserver.port}/1", before_send=sentry_before_send,
                    default_integrations=False, _experiments={"transport_compression_level": 0})
    try:
        with sentry_sdk.new_scope() as scope:
            scope.set_context("request", {"url": "http://alpha.localhost/staff/requests/", "query_string": f"q={TRACKING}&page=2"})
            scope.set_extra("form", {"identity": NATIONAL, "otp": typed_otp})
            try:
                raise LookupError(f"کد رهگیری {TRACKING} با کد ملی {NATIONAL} یافت نشد؛ کد {OTP}، همراه {MOBILE}، /survey/{SURVEY_TOKEN}/")
            except LookupError as error:
                sentry_sdk.capture_exception(error)
        sentry_sdk.flush(timeout=10)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init(dsn=None)
    (sent,) = [request for request, _ in httpserver.log]
    body = sent.get_data()
    text = (gzip.decompress(body) if sent.headers.get("Content-Encoding") == "gzip" else body).decode()
    assert "LookupError" in text and "page=2" in text
    envelope = text.encode().decode("unicode_escape") + text
    for secret in (TRACKING, NATIONAL, OTP, typed_otp, MOBILE, SURVEY_TOKEN):
        assert secret not in envelope
    assert json.loads(text.splitlines()[-1])  # the event itself, as Sentry reads it
