"""The payment providers' protocols, one thin client each (why not a library: README, Fee payments)."""

from __future__ import annotations

from payments.providers.base import Outcome, ProviderClient, Started
from payments.providers.sep import SepClient
from payments.providers.zarinpal import ZarinpalClient

CLIENTS: dict[str, type[ProviderClient]] = {"zarinpal": ZarinpalClient, "sep": SepClient}

__all__ = ["CLIENTS", "Outcome", "ProviderClient", "Started", "client_for"]


def client_for(*, provider: str, mode: str, credentials: dict[str, str]) -> ProviderClient:
    return CLIENTS[provider](mode=mode, credentials=credentials)
