"""Audit rows in words: {% audit_action "card" a.action %} and {% audit_changes "card" a.before a.after %}.

The labels come from the registry in lib/audit_changes.py, filled by each audited app."""

from django import template

from lib import audit_changes as registry

register = template.Library()


@register.simple_tag
def audit_action(kind, code):
    return registry.action_label(kind, code)


@register.filter
def audit_actor(actor):
    return registry.actor_label(actor)


@register.inclusion_tag("audit/_changes.html")
def audit_changes(kind, before, after):
    return {"changes": registry.changes(kind, before, after)}
