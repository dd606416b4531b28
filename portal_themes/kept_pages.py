"""The portal's busiest pages kept whole for anonymous citizens (README, Benchmarks).

A citizen who sends no cookie at all (no session, so no sign-in, no draft preview and no message
waiting) and asks a page without a query string gets the HTML every such citizen of the tenant
gets: the page holds no CSRF token, no nonce and nothing of a user. So a web process keeps that
HTML, under

- the generation the caller keeps by (`remember`: the catalogue's for the catalogue's pages),
- the page's own key and the host it was asked on,
- the tenant as this request resolved it (every column: a rename, a new address or a status
  shows on the next page, since a tenant's save drops its host entry),
- the published theme's version (a publish or rollback shows on the next page),
- today's date (a theme's notice ends with its day).

Anything else renders as before: a signed-in or previewing visitor, a search (`?q=`), a page
whose rendering asked for a CSRF token or set a cookie, an answer other than 200.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from portal_themes.selectors import theme_published

Remember = Callable[[object, Callable[[], object]], object]


def kept_for_anonymous(request, key, render_page: Callable[[], HttpResponse], *, remember: Remember) -> HttpResponse:
    """`render_page()`, or the HTML this process kept of it for anonymous citizens."""
    if not _anonymous_and_plain(request) or settings.PORTAL_CATALOGUE_KEEP_SECONDS <= 0:
        return render_page()
    rendered: list[HttpResponse] = []

    def build() -> tuple[bytes, str | None] | None:
        rendered.append(render_page())
        return _keepable(request, rendered[0])

    kept = remember(("anonymous-page", _page_key(request, key)), build)
    if rendered:
        return rendered[0]
    html, vary = kept
    response = HttpResponse(html)
    if vary:  # as the rendered page said it (Cookie: the page reads the session), for any cache on the way
        response["Vary"] = vary
    return response


def _anonymous_and_plain(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.COOKIES and not request.GET


def _page_key(request, key) -> tuple:
    tenant = request.tenant
    theme = theme_published()
    return (
        key,
        request.get_host(),
        repr([getattr(tenant, field.attname) for field in tenant._meta.concrete_fields]),  # some are JSON: not hashable
        (theme.pk, theme.version, theme.updated_at) if theme is not None else None,
        timezone.localdate(),
    )


def _keepable(request, response: HttpResponse) -> tuple[bytes, str | None] | None:
    """The page's HTML and Vary header if it is the same for every anonymous citizen; None keeps
    nothing. Read in the view: what the middleware adds on the way out it adds to a kept page too,
    but for the session's Vary, which a kept page does not read."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a form's token: this visitor's own
        return None
    vary = response.get("Vary") or ("Cookie" if request.session.accessed else None)
    return response.content, vary
