from __future__ import annotations

from portal_themes.models import Theme

# Colours per kind of body, so that a new portal looks finished on its first day.
DEFAULT_COLORS = {"municipality": ("#0f5e9c", "#c8102e"), "dehyari": ("#2e7d32", "#8d6e00")}


def theme_set_defaults(*, display_name: str, kind: str) -> Theme:
    """Give a freshly provisioned tenant a complete theme (called inside its schema)."""
    primary, accent = DEFAULT_COLORS.get(kind, DEFAULT_COLORS["municipality"])
    theme, _ = Theme.objects.update_or_create(
        id=1, defaults={"display_name": display_name, "primary_color": primary, "accent_color": accent}
    )
    return theme
