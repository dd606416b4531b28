"""A request's document given by `media_url`: fetched only from the hosts the operator allows
(OPEN311_MEDIA_HOSTS; none by default, so the feature is off), then checked as an upload is.

Fetching a URL a client names is a way into the network behind the server, so: exact host
names only, http(s) only, no redirects (a redirect could lead anywhere), a time-out, and never
more than the card's size limit read (one byte over is enough to refuse it).
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from open311 import error_codes

TIMEOUT_SECONDS = 10


def allowed_hosts() -> set[str]:
    return {host.strip().lower() for host in getattr(settings, "OPEN311_MEDIA_HOSTS", []) if host.strip()}


def media_fetch(*, url: str, max_bytes: int) -> SimpleUploadedFile:
    """The document at `url` as an upload (its type is judged later, by content), or a Persian
    ValidationError: off, host not allowed, unreachable, or larger than `max_bytes`."""
    hosts = allowed_hosts()
    if not hosts:
        raise ValidationError(_("این دستگاه پیوست با نشانی اینترنتی (media_url) نمی‌پذیرد؛ درخواست را بی آن بفرستید."), code=error_codes.MEDIA_URL_OFF)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
        raise ValidationError(_("پیوست فقط از نشانی‌های مجاز دریافت می‌شود و این نشانی مجاز نیست."), code=error_codes.MEDIA_HOST_REFUSED)
    try:
        with requests.get(url.strip(), timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                raise ValidationError(_("پیوست از نشانی داده‌شده دریافت نشد."), code=error_codes.MEDIA_FETCH_FAILED)
            body = b""
            for chunk in answer.iter_content(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    break
    except requests.RequestException:
        raise ValidationError(_("پیوست از نشانی داده‌شده دریافت نشد."), code=error_codes.MEDIA_FETCH_FAILED) from None
    name = posixpath.basename(parts.path) or "media"
    return SimpleUploadedFile(name, body[: max_bytes + 1])
