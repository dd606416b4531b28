"""The strict environment readers (mizban/env.py) refuse a bad value at start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from mizban.env import env_networks


def test_the_proxies_setting_refuses_what_is_not_an_address(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1, ::1")
    assert env_networks("TRUSTED_PROXIES") == ["10.0.0.0/8", "192.168.1.1", "::1"]
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES")
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert env_networks("TRUSTED_PROXIES") == []
