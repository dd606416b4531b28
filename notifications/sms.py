"""SMS gateways: one interface, a console gateway for development and tests, and Kavenegar.

Kavenegar puts the API key in the URL path (`/v1/{API-KEY}/sms/send.json`), so every text
that may hold the URL (an exception, a log record of urllib3) goes through `redact` first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import logging
import sys
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

REDACTED = "***"


class SmsGatewayError(Exception):
    """The gateway did not take the message. `permanent`: it refused this message for good
    (bad number, bad sender, bad text), so retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmsAccepted:
    provider_message_id: str


class SmsGateway(ABC):
    """One way of sending a text message; `send` raises SmsGatewayError when it could not."""

    name = ""

    @abstractmethod
    def send(self, *, mobile: str, text: str, reference: str = "") -> SmsAccepted:
        """`reference`: the outbox's own id for the message, the same on every attempt, so a
        gateway that deduplicates by it (Kavenegar's `localid`) sends a message once even when
        an attempt timed out after the gateway had taken it."""


class ConsoleGateway(SmsGateway):
    """The developer's phone (development, tests): prints the message on standard output, whole,
    so that a one-time code can be typed in. Not a log record: logs are redacted of codes
    (lib/log_redaction.py), and production refuses this gateway (mizban/settings.py)."""

    name = "console"

    def send(self, *, mobile: str, text: str, reference: str = "") -> SmsAccepted:
        print(f"SMS to {mobile}: {text}", file=sys.stdout, flush=True)
        return SmsAccepted(provider_message_id="console-" + get_random_string(12))


def redact(text: str, secret: str) -> str:
    return text.replace(secret, REDACTED) if secret else text


class _RedactSecret(logging.Filter):
    """Removes the API key from records of the HTTP libraries (urllib3 logs every URL)."""

    def __init__(self, secret: str):
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = redact(message, self.secret), None
        return True


_filtered_secrets: set[str] = set()


def _keep_out_of_logs(secret: str) -> None:
    if not secret or secret in _filtered_secrets:
        return
    for name in ("urllib3.connectionpool", "urllib3.util.retry", "requests"):
        logging.getLogger(name).addFilter(_RedactSecret(secret))
    _filtered_secrets.add(secret)


# Kavenegar's `return.status` codes that concern the message itself, not the service.
_KAVENEGAR_PERMANENT = {400, 411, 412, 414, 422, 424, 426, 428, 431}


class KavenegarGateway(SmsGateway):
    """Kavenegar's REST API: POST /v1/{API-KEY}/sms/send.json with receptor, message, sender,
    localid; the answer is {"return": {"status", "message"}, "entries": [{"messageid", ...}]}."""

    name = "kavenegar"

    def __init__(self, *, api_key: str, sender: str, api_base: str, timeout: float):
        if not api_key:
            raise SmsGatewayError("KAVENEGAR_API_KEY is not set.", permanent=False)
        self.api_key, self.sender, self.timeout = api_key, sender, timeout
        self.api_base = api_base.rstrip("/")
        _keep_out_of_logs(api_key)

    def send(self, *, mobile: str, text: str, reference: str = "") -> SmsAccepted:
        url = f"{self.api_base}/v1/{self.api_key}/sms/send.json"
        data = {"receptor": mobile, "message": text}
        if self.sender:
            data["sender"] = self.sender
        if reference:
            # Kavenegar sends a message once per localid: a retry after a timed-out attempt
            # that Kavenegar had in fact taken is answered with the first send, not sent again.
            data["localid"] = reference
        try:
            response = requests.post(url, data=data, headers={"Accept": "application/json"}, timeout=self.timeout)
        except requests.RequestException as error:
            # The exception's text holds the URL, and so the key.
            raise SmsGatewayError(f"Kavenegar unreachable: {type(error).__name__}: {redact(str(error), self.api_key)}") from None
        return self._accepted(response)

    def _accepted(self, response: requests.Response) -> SmsAccepted:
        try:
            body = response.json()
            status = int(body["return"]["status"])
            message = str(body["return"].get("message", ""))
        except (ValueError, KeyError, TypeError):
            raise SmsGatewayError(f"Kavenegar answered HTTP {response.status_code} without its JSON envelope.") from None
        if status != 200:
            error = f"Kavenegar refused: {status} {redact(message, self.api_key)}"
            raise SmsGatewayError(error, permanent=status in _KAVENEGAR_PERMANENT)
        entries = body.get("entries") or []
        if not entries or "messageid" not in entries[0]:
            raise SmsGatewayError("Kavenegar accepted the request but returned no message id.")
        return SmsAccepted(provider_message_id=str(entries[0]["messageid"]))


def sms_gateway() -> SmsGateway:
    """The gateway that settings.SMS_GATEWAY names."""
    if settings.SMS_GATEWAY == "kavenegar":
        return KavenegarGateway(
            api_key=settings.KAVENEGAR_API_KEY,
            sender=settings.KAVENEGAR_SENDER,
            api_base=settings.KAVENEGAR_API_BASE,
            timeout=settings.KAVENEGAR_TIMEOUT_SECONDS,
        )
    return ConsoleGateway()
