"""/favicon.ico on every host: browsers ask for it before (and regardless of) the pages'
<link rel="icon">, so without it every first visit logs a 404."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal_themes.views import favicon_ico


@cache
def _icon() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """The tenant's own favicon (its theme's, drawn from its logo when none was given), else the platform's."""
    own = favicon_ico(request) if getattr(getattr(request, "tenant", None), "schema_name", "public") != "public" else None
    return HttpResponse(own or _icon(), content_type="image/x-icon")
