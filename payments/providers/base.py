"""What every provider client answers, and the two ways a call to a provider goes wrong."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import requests
from django.conf import settings

PAID, FAILED, CANCELLED, PENDING = "paid", "failed", "cancelled", "pending"


class GatewayUnreachable(Exception):
    """No answer (time-out, connection refused, a 5xx, not JSON): the payment stays as it was
    and the reconciliation task asks again. The message never holds credentials."""


class GatewayRefused(Exception):
    """The provider answered and said no (its code and message, as the provider gave them)."""

    def __init__(self, code, message: str = ""):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class CallbackForged(Exception):
    """The callback does not belong to this payment (order id, terminal, authority)."""


@dataclass
class Started:
    authority: str
    redirect_url: str


@dataclass
class Outcome:
    """What the provider says of a payment: paid (with its reference), failed, or not known yet."""

    state: str
    reference: str = ""
    card_pan: str = ""
    amount_rial: int | None = None
    message: str = ""


class ProviderClient(ABC):
    """One provider's protocol for one gateway (its mode and opened credentials)."""

    credential_fields: tuple[tuple[str, str], ...] = ()
    # How long after the redirect an unverified payment can still be verified (the provider
    # reverses it after that); the reconciliation task gives up on it then.
    verify_window_seconds = 30 * 60

    def __init__(self, *, mode: str, credentials: dict[str, str]):
        self.mode, self.credentials = mode, credentials

    def _post_json(self, url: str, body: dict) -> dict:
        try:
            response = requests.post(url, json=body, timeout=settings.PAYMENTS_HTTP_TIMEOUT, headers={"Accept": "application/json"})
        except requests.RequestException as error:
            raise GatewayUnreachable(f"{type(self).__name__}: {type(error).__name__}") from None
        if response.status_code >= 500:
            raise GatewayUnreachable(f"{type(self).__name__}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise GatewayUnreachable(f"{type(self).__name__}: HTTP {response.status_code}, not JSON") from None

    # The protocol, per provider -------------------------------------------------------
    @abstractmethod
    def start(self, *, payment, callback_url: str) -> Started:
        """Register the payment with the provider; where to send the citizen."""

    @abstractmethod
    def callback_read(self, *, payment, params: dict) -> str:
        """Check the callback is this payment's; PAID (then verify), FAILED or CANCELLED."""

    @abstractmethod
    def verify(self, *, payment) -> Outcome:
        """Ask the provider, server to server, to confirm (settle) the payment."""

    @abstractmethod
    def inquire(self, *, payment) -> Outcome:
        """For the reconciliation task: what became of a payment whose callback never came."""

    @abstractmethod
    def reverse(self, *, payment) -> bool:
        """Give an unverified or unwanted payment back to the payer; True when the provider did."""
