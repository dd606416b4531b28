"""portal_themes' side of lib/branding.py: the theme as a Brand for PDFs and e-mails, and the
middleware that marks a previewing admin's request."""

from __future__ import annotations

from django.conf import settings

from lib import branding
from portal_themes.selectors import preview_on, theme_draft, theme_published


def _logo_reader(theme):
    def read() -> bytes | None:
        if not theme.logo:
            return None
        try:
            with theme.logo.open("rb") as handle:
                return handle.read()
        except OSError:
            return None

    return read


def brand_of(theme) -> branding.Brand | None:
    if theme is None:
        return None
    return branding.Brand(
        display_name=theme.display_name, primary_color=theme.primary_color, accent_color=theme.accent_color,
        logo_bytes=_logo_reader(theme), address=theme.address, phone=theme.phone, hours=theme.hours,
    )


def brand_provider(draft: bool) -> branding.Brand | None:
    return brand_of((theme_draft() if draft else None) or theme_published())


class BrandingPreviewMiddleware:
    """Marks the request of a tenant admin who previews the draft, for what lib/branding serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is previewing: no session or user is loaded for it (the API).
        token = branding.previewing.set(settings.SESSION_COOKIE_NAME in request.COOKIES and preview_on(request))
        try:
            return self.get_response(request)
        finally:
            branding.previewing.reset(token)
