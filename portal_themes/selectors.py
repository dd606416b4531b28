"""Reads of a tenant's theme: the published one (cached per tenant), the draft, and which of
the two a request sees (the draft only for a tenant admin who turned preview on)."""

from __future__ import annotations

import copy
import logging

from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from lib.generations import generation, remembered
from portal_themes.models import Theme, ThemeAudit, ThemeDraft

# The cache's key function adds the schema: one entry per tenant. The theme is stored under
# the tenant's current generation of THEME (lib/generations.py), which a publish renews once it
# has committed: a reader that read the old row just before the commit can only write it under
# the old generation, which nobody asks for again (a plain delete would let it put the old theme back).
THEME = "portal-theme"
CACHE_KEY = "portal_themes:published:v2"
# An hour: also the longest an old theme could outlive a publish made while the cache was unreachable.
CACHE_SECONDS = 3600
PREVIEW_SESSION_KEY = "branding_preview"
logger = logging.getLogger(__name__)
# Each process also keeps the theme it read, under its tenant and generation, for a minute
# (lib.generations.remembered): a page then asks Redis for no theme to unpickle, and a publish,
# which changes the generation, reaches every process on its next page.
MEMO_SECONDS = 60


def themes_cache_call(operation, *args, **kwargs):
    """One call on the themes cache; None when the cache cannot be reached. The theme is then
    read from the database: a Redis outage must never take a portal down with it."""
    try:
        return getattr(caches["themes"], operation)(*args, **kwargs)
    except Exception as error:  # redis-py raises several kinds for an unreachable server
        logger.warning("Themes cache unreachable (%s); reading the theme from the database.", error)
        return None


def theme_published() -> Theme | None:
    """The tenant's published theme, or None on the platform host. Cached until a publish."""
    if connection.schema_name == "public":
        return None
    theme = remembered(THEME, "published", _theme_read, seconds=MEMO_SECONDS)
    return copy.copy(theme) if theme is not None else None  # a copy: no page can change what the next one reads


def _theme_read() -> Theme | None:
    """The theme in the shared cache under the current generation, or from the database."""
    current = generation(THEME)
    if not current:
        return Theme.objects.order_by("id").first()
    theme = themes_cache_call("get", f"{CACHE_KEY}:{current}")
    if theme is None:
        theme = Theme.objects.order_by("id").first()
        if theme is not None:
            themes_cache_call("set", f"{CACHE_KEY}:{current}", theme, timeout=CACHE_SECONDS)
    return theme


# The name the rest of the project has used for the published theme.
theme_for_current_tenant = theme_published


def theme_draft() -> ThemeDraft | None:
    if connection.schema_name == "public":
        return None
    return ThemeDraft.objects.order_by("id").first()


def may_see_draft(request) -> bool:
    """Only a tenant's admins see its draft (the role is compared by value: accounts sits beside us)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and getattr(user, "role", "") == "tenant_admin")


def preview_on(request) -> bool:
    return may_see_draft(request) and hasattr(request, "session") and bool(request.session.get(PREVIEW_SESSION_KEY))


def theme_for_request(request):
    """The draft for an admin previewing it, otherwise the published theme."""
    if preview_on(request):
        return theme_draft() or theme_published()
    return theme_published()


def notice_showing(theme, *, today=None) -> bool:
    """A notice shows from its publish until the end of its last day (Tehran time)."""
    if theme is None or not theme.notice_text or theme.notice_until is None:
        return False
    today = today or timezone.localdate()
    return today <= theme.notice_until


def theme_history(limit: int = 20):
    return list(ThemeAudit.objects.all()[:limit])


def theme_rollback_target() -> ThemeAudit | None:
    """The latest publish not yet undone: a rollback brings back what was live before it."""
    return ThemeAudit.objects.filter(action=ThemeAudit.Action.PUBLISHED, reverted=False).order_by("-created_at", "-id").first()
