"""The portal's home page and the theme's own files: its stylesheet, logo and favicon.

The files are read from the schema of the host asked: a tenant's logo exists only on that
tenant's hosts (another tenant's host has no such theme, and answers 404)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from lib.generations import remembered
from portal_themes.images import ico_bytes
from portal_themes.kept_pages import kept_for_anonymous
from portal_themes.selectors import may_see_draft, theme_draft, theme_for_request, theme_published


def home(request):
    """The tenant portal's home page, in the tenant's name and colours (kept for anonymous citizens)."""
    return kept_for_anonymous(request, "home", lambda: render(request, "portal/home.html"), remember=_remember_home)


def _remember_home(key, build):
    # The home page shows the tenant and its theme, both in the kept page's key: no generation of its own.
    return remembered("portal-home", key, build, seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)


def _asked_theme(request):
    """The draft when the URL asks for it and the asker previews it; the published theme otherwise."""
    if request.GET.get("draft") and may_see_draft(request):
        return theme_draft()
    return theme_published()


def _private_or_public(response, request):
    response["Cache-Control"] = "private, no-store" if request.GET.get("draft") else "public, max-age=31536000, immutable"
    return response


@require_safe
def theme_css(request):
    """The colours as CSS custom properties: a file, so no page needs an inline <style>."""
    theme = _asked_theme(request)
    if theme is None:
        raise Http404
    css = render_to_string("portal/theme.css", {"theme": theme})
    return _private_or_public(HttpResponse(css, content_type="text/css; charset=utf-8"), request)


def _file_response(request, field):
    if not field:
        raise Http404
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except OSError as error:
        raise Http404 from error
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return _private_or_public(response, request)


@require_safe
def logo(request):
    theme = _asked_theme(request)
    return _file_response(request, theme.logo if theme else None)


@require_safe
def favicon_png(request):
    theme = _asked_theme(request)
    return _file_response(request, theme.favicon if theme else None)


def favicon_ico(request) -> bytes | None:
    """/favicon.ico's bytes for a tenant with its own favicon; None when it has none (the platform's then)."""
    theme = theme_for_request(request)
    if theme is None or not theme.favicon:
        return None
    try:
        return ico_bytes(theme.favicon)
    except OSError:
        return None
