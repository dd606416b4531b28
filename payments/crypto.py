"""Merchant credentials at rest: Fernet (AES-128-CBC with an HMAC) under a key derived from
PAYMENTS_CREDENTIALS_KEY, or from SECRET_KEY when that is unset. A database dump alone never
holds a usable merchant ID or terminal; rotating the key means re-entering the credentials."""

from __future__ import annotations

import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    secret = (getattr(settings, "PAYMENTS_CREDENTIALS_KEY", "") or settings.SECRET_KEY).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"mizban-payments", info=b"merchant-credentials").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def credentials_seal(credentials: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def credentials_open(sealed: str) -> dict[str, str]:
    """The credentials; empty when none are stored or the key changed (the admin enters them again)."""
    if not sealed:
        return {}
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken:
        return {}
