"""The audit page (/staff/audit/): role changes, card and workflow changes, request events,
newest first. It reads accounts, catalog and intake, each through its selector, so it lives in
insights, the one app above all three."""

from django.shortcuts import render

from accounts.models import User
from accounts.permissions import staff_required
from accounts.selectors import role_audit_recent
from catalog.selectors import card_audit_recent
from intake.casework.selectors import request_events_recent

AUDIT_PAGE_ROWS = 100


@staff_required(User.Role.TENANT_ADMIN)
def audit(request):
    return render(request, "staff/audit.html", {
        "roles": role_audit_recent(limit=AUDIT_PAGE_ROWS),
        "cards": card_audit_recent(limit=AUDIT_PAGE_ROWS),
        "requests": request_events_recent(limit=AUDIT_PAGE_ROWS),
    })
