"""What payments may ask of the request a payment belongs to, without importing intake (which
sits above): intake registers, from its AppConfig.ready, a reader that says, for a wizard's
token, the request's tracking code and whether a refund may be decided for it (the request was
rejected, or it was never submitted although paid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class RequestState:
    tracking_code: str  # empty: never submitted
    status_label: str
    refundable: bool


_readers: list[Callable[[list], dict]] = []


def request_state_reader_register(reader: Callable[[list], dict]) -> None:
    if reader not in _readers:
        _readers.append(reader)


def request_states(tokens: list) -> dict:
    """{wizard token: RequestState} for the tokens given (none without a registered reader)."""
    states: dict = {}
    for reader in _readers:
        states.update(reader(tokens))
    return states
