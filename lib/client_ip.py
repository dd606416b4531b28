"""The client's IP address, the one every per-IP limit counts.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
it was written by proxies we run: `TRUSTED_PROXY_HOPS` (how many proxies stand in front of
the application, the direct peer being the first) and `TRUSTED_PROXIES` (their addresses
or networks). With neither set, the header is ignored and the client is `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


def client_ip(request) -> str:
    """The right-most address not written by a trusted proxy: walking from the direct peer
    leftwards through `X-Forwarded-For`, each trusted proxy vouches for the address to its
    left, and the first address that is not a trusted proxy is the client."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops, networks = settings.TRUSTED_PROXY_HOPS, _networks(tuple(settings.TRUSTED_PROXIES))
    if not forwarded or not _trusted(peer, position=1, hops=hops, networks=networks):
        return peer
    client = peer
    written = [entry.strip() for entry in forwarded.split(",")]
    for position, entry in enumerate(reversed(written), start=2):
        address = _address(entry)
        # A trusted proxy writes addresses; anything else was typed by the client, so the
        # last address vouched for stands.
        if address is None:
            return client
        client = str(address)
        if not _trusted(client, position=position, hops=hops, networks=networks):
            return client
    return client  # every hop trusted: the left-most address is as far as the chain goes


def _trusted(address: str, *, position: int, hops: int, networks: tuple) -> bool:
    if position <= hops:
        return True
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def _address(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
