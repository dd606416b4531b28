"""How a recorded change reads on a page: «field: before ← after», in words.

Audit rows (RoleAudit, CardAudit, TenantEvent) keep raw values — codes, booleans, XML — so
they stay exact and comparable. This registry says, per audited kind, what each action,
field and value is called in Persian; each app registers its kind at start-up (its
AppConfig.ready), so this module imports no app. `{% audit_changes %}` renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lib.persian import to_persian_digits

EMPTY = "—"
SHORT = 60  # longer text is cut, with an ellipsis


@dataclass(frozen=True)
class Field:
    label: str
    choices: dict = field(default_factory=dict)
    # Long values (XML, free text): this sentence instead of the values, e.g. «نمودار فرایند تغییر کرد».
    summary: str = ""
    # Addresses and e-mails keep their ASCII characters and digits.
    latin: bool = False


@dataclass(frozen=True)
class Kind:
    actions: dict
    fields: dict
    # The fields worth listing when a row is created (before is empty).
    on_create: tuple = ()


@dataclass(frozen=True)
class Change:
    label: str
    before: str = ""
    after: str = ""
    summary: str = ""


_KINDS: dict[str, Kind] = {}

# Actors that are not a person's e-mail: the product's own commands and services.
SYSTEM_ACTORS = {
    "seed_demo": _("ساخت داده‌های نمونه"),
    "stripe": _("درگاه پرداخت"),
    "bench": _("آزمون سرعت"),
    "tests": _("آزمون خودکار"),
    "nightly": _("همگام‌سازی شبانه"),
    "manage.py sync_registry": _("فرمان همگام‌سازی"),
}


def register(name: str, *, actions: dict, fields: dict, on_create: tuple = ()) -> None:
    _KINDS[name] = Kind(actions=actions, fields={key: _as_field(spec) for key, spec in fields.items()}, on_create=on_create)


def _as_field(spec) -> Field:
    return spec if isinstance(spec, Field) else Field(label=spec)


def _kind(name: str) -> Kind:
    return _KINDS.get(name) or Kind(actions={}, fields={})


def action_label(kind: str, code: str) -> str:
    """The action in words; an unregistered code is shown as it is, never hidden."""
    return str(_kind(kind).actions.get(code, code))


def actor_label(actor: str) -> str:
    return str(SYSTEM_ACTORS.get(actor, actor or EMPTY))


def value_text(kind: str, key: str, value) -> str:
    """One value as a reader would write it: labels for codes, بله/خیر, Persian digits."""
    spec = _kind(kind).fields.get(key) or Field(label=key)
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(_("بله") if value else _("خیر"))
    if spec.choices:
        codes = value if isinstance(value, list) else str(value).split(";") if isinstance(value, str) and ";" in value else [value]
        return "، ".join(str(spec.choices.get(code, code)) for code in codes)
    if isinstance(value, (list, tuple)):
        value = "، ".join(str(item) for item in value)
    if isinstance(value, dict):
        value = "، ".join(f"{k}: {v}" for k, v in value.items())
    text = " ".join(str(value).split())
    if len(text) > SHORT:
        text = text[: SHORT - 1].rstrip() + "…"
    return text if spec.latin else to_persian_digits(text)


def changes(kind: str, before: dict | None, after: dict | None) -> list[Change]:
    """The fields that differ between two snapshots, in the registered order; on creation,
    the registered `on_create` fields with their values."""
    spec = _kind(kind)
    before, after = before or {}, after or {}
    if not before:
        return [Change(label=str(spec.fields[key].label), after=value_text(kind, key, after.get(key)))
                for key in spec.on_create if key in after and key in spec.fields]
    keys = [key for key in spec.fields if key in before or key in after]
    keys += [key for key in {**before, **after} if key not in spec.fields]
    found = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        field_spec = spec.fields.get(key) or Field(label=key)
        if field_spec.summary:
            found.append(Change(label=str(field_spec.label), summary=str(field_spec.summary)))
        else:
            found.append(Change(label=str(field_spec.label), before=value_text(kind, key, old), after=value_text(kind, key, new)))
    return found
