from __future__ import annotations

from django.db import connection

from portal_themes.models import Theme


def theme_for_current_tenant() -> Theme | None:
    """The tenant's theme, or None on the platform host."""
    if connection.schema_name == "public":
        return None
    return Theme.objects.order_by("id").first()
