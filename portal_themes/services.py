"""Changes to a tenant's theme: the defaults at provisioning, the admins' draft, presets,
publishing (audited, cache dropped) and rolling a publish back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lib.generations import generation_renew
from portal_themes import error_codes
from portal_themes.images import favicon_from_logo
from portal_themes.models import Branding, Theme, ThemeAudit, ThemeDraft
from portal_themes.presets import PRESETS
from portal_themes.selectors import THEME, theme_rollback_target

# Colours per kind of body, so that a new portal looks finished on its first day.
DEFAULT_COLORS = {"municipality": ("#0f5e9c", "#c8102e"), "dehyari": ("#2e7d32", "#8d6e00")}

# Every field a publish copies and a snapshot keeps (files by their stored name).
BRANDING_FIELDS = [f.name for f in Branding._meta.get_fields() if f.name not in ("id", "updated_at")]


def theme_cache_forget() -> None:
    """A new generation now, and again once the change has committed (see selectors.THEME):
    what a reader cached in between, from the row before the commit, is never asked for."""
    generation_renew(THEME)


def theme_set_defaults(*, display_name: str, kind: str) -> Theme:
    """Give a freshly provisioned tenant a complete theme and a draft equal to it (called inside its schema);
    on an existing theme only these values change."""
    primary, accent = DEFAULT_COLORS.get(kind, DEFAULT_COLORS["municipality"])
    values = {"display_name": display_name, "primary_color": primary, "accent_color": accent}
    # One INSERT … ON CONFLICT each and no savepoint: onboarding runs this in its transaction,
    # where on Citus every statement and savepoint is a round trip to the tenant's worker.
    [theme] = Theme.objects.bulk_create(
        [Theme(id=1, **values)], update_conflicts=True, unique_fields=["id"], update_fields=list(values))
    ThemeDraft.objects.bulk_create(
        [ThemeDraft(id=1, **values)], update_conflicts=True, unique_fields=["id"], update_fields=list(values))
    theme_cache_forget()
    return theme


def snapshot(branding: Branding) -> dict:
    """The branding's values as JSON (dates as ISO text, files as their stored names)."""
    values = {}
    for name in BRANDING_FIELDS:
        value = getattr(branding, name)
        if name in ("logo", "favicon"):
            value = value.name or ""
        elif name == "notice_until":
            value = value.isoformat() if value else None
        values[name] = value
    return values


def _apply(branding: Branding, values: dict) -> None:
    for name in BRANDING_FIELDS:
        if name in values:
            value = values[name]
            if name == "notice_until" and isinstance(value, str):
                value = date.fromisoformat(value)
            setattr(branding, name, value)


def draft_get_or_create() -> ThemeDraft:
    draft = ThemeDraft.objects.order_by("id").first()
    if draft is None:
        theme = Theme.objects.order_by("id").first()
        draft = ThemeDraft(id=1)
        if theme is not None:
            _apply(draft, snapshot(theme))
        draft.save()
    return draft


@transaction.atomic
def draft_save(*, values: dict, logo=None, favicon=None, remove_logo: bool = False, remove_favicon: bool = False, actor: str) -> ThemeDraft:
    """Store what the admin typed in the draft. `logo`/`favicon` are processed PNG files; a
    favicon not given is drawn from the logo."""
    draft = ThemeDraft.objects.select_for_update().filter(id=draft_get_or_create().id).get()
    _apply(draft, values)
    if remove_logo:
        draft.logo = ""
    if logo is not None:
        draft.logo.save(logo.name, logo, save=False)
    if remove_favicon:
        draft.favicon, draft.favicon_from_logo = "", True
    if favicon is not None:
        draft.favicon.save(favicon.name, favicon, save=False)
        draft.favicon_from_logo = False
    elif draft.favicon_from_logo and (logo is not None or remove_logo or remove_favicon):
        if draft.logo:
            derived = favicon_from_logo(draft.logo)
            draft.favicon.save(derived.name, derived, save=False)
        else:
            draft.favicon = ""
    draft.updated_by = actor
    draft.save()
    return draft


@transaction.atomic
def draft_apply_preset(*, preset: str, actor: str) -> ThemeDraft:
    """Colours and welcome text of one of the three presets; names, logo and contacts are kept."""
    if preset not in PRESETS:
        raise ValidationError("این الگو وجود ندارد.", code=error_codes.PRESET_UNKNOWN)
    chosen = PRESETS[preset]
    draft = draft_get_or_create()
    draft.primary_color, draft.accent_color = chosen.primary_color, chosen.accent_color
    draft.welcome_text = chosen.welcome_text
    draft.updated_by = actor
    draft.save()
    return draft


@transaction.atomic
def draft_discard(*, actor: str) -> ThemeDraft:
    """The draft made equal to the published theme again."""
    theme = Theme.objects.order_by("id").first()
    draft = draft_get_or_create()
    _apply(draft, snapshot(theme))
    draft.updated_by = actor
    draft.save()
    return draft


@transaction.atomic
def theme_publish(*, actor: str) -> Theme:
    """The draft becomes what every citizen sees; the previous theme is kept in the audit row."""
    theme = Theme.objects.select_for_update().order_by("id").first()
    draft = draft_get_or_create()
    before = snapshot(theme)
    _apply(theme, snapshot(draft))
    theme.version += 1
    theme.published_at, theme.published_by = timezone.now(), actor
    theme.save()
    ThemeAudit.objects.create(actor=actor, action=ThemeAudit.Action.PUBLISHED, before=before, after=snapshot(theme))
    theme_cache_forget()
    return theme


@transaction.atomic
def theme_rollback(*, actor: str) -> Theme:
    """Back to the theme that was live before the latest publish not yet undone; the draft follows."""
    target = theme_rollback_target()
    if target is None:
        raise ValidationError("انتشار پیشینی برای بازگشت وجود ندارد.", code=error_codes.NOTHING_TO_ROLL_BACK)
    ThemeAudit.objects.select_for_update().filter(pk=target.pk).update(reverted=True)
    theme = Theme.objects.select_for_update().order_by("id").first()
    before = snapshot(theme)
    restored = dict(target.before)
    _apply(theme, restored)
    theme.version += 1
    theme.published_at, theme.published_by = timezone.now(), actor
    theme.save()
    draft = draft_get_or_create()
    _apply(draft, restored)
    draft.updated_by = actor
    draft.save()
    ThemeAudit.objects.create(actor=actor, action=ThemeAudit.Action.ROLLED_BACK, before=before, after=snapshot(theme))
    theme_cache_forget()
    return theme
