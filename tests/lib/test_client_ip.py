"""The client's IP (lib/client_ip.py): X-Forwarded-For believed only as far as our own proxies
wrote it."""

from __future__ import annotations

from django.test import RequestFactory

from lib.client_ip import client_ip


def request_from(peer: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_ip(request_from("203.0.113.9")) == "203.0.113.9"


def test_a_trusted_peer_vouches_for_the_address_it_added(settings):
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, ["10.0.0.0/8"]
    # The client typed "1.1.1.1"; the proxy appended the address it saw.
    assert client_ip(request_from("10.0.0.2", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # A peer outside the list is the client, whatever it claims.
    assert client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    # A trusted proxy with no header is its own client.
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address(settings):
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 0, ["10.0.0.0/8", "2001:db8::/32"]
    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 198.51.100.7, 2001:db8::5, 10.1.1.1")) == "198.51.100.7"
    # Every hop trusted: the left-most address is as far as the chain goes.
    assert client_ip(request_from("10.0.0.2", "10.0.0.9")) == "10.0.0.9"


def test_a_number_of_hops_trusts_that_many_proxies_from_the_peer(settings):
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 1, []
    assert client_ip(request_from("10.0.0.2", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_HOPS = 2  # a load balancer, then nginx
    assert client_ip(request_from("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    assert client_ip(request_from("10.0.0.2", "")) == "10.0.0.2"


def test_what_is_not_an_address_is_never_the_client(settings):
    settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXIES = 2, []
    # The proxy vouched for 198.51.100.7; whatever stands left of it was typed by someone.
    assert client_ip(request_from("10.0.0.2", "<script>, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    # Spelled the one way every counter keys it.
    assert client_ip(request_from("10.0.0.2", " 2001:DB8:0:0::1 ")) == "2001:db8::1"

