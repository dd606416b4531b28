"""The admins' page of Open311 API keys (/staff/api-keys/): issue, see, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from open311.keys import active_keys, api_key_issue, api_key_revoke

DEFAULT_PER_MINUTE = 60


def _page(request, *, posted=None, errors=None, issued=None, status=200):
    context = {
        "keys": active_keys(),
        "posted": posted or {"name": "", "per_minute": str(DEFAULT_PER_MINUTE)},
        "errors": errors or {},
        "issued": issued,
    }
    return render(request, "open311/api_keys.html", context, status=status)


@staff_required(User.Role.TENANT_ADMIN)
def api_keys(request):
    """The list, and the form that issues a key; the new key is shown on this answer only."""
    if request.method != "POST":
        return _page(request)
    posted = {"name": request.POST.get("name", ""), "per_minute": request.POST.get("per_minute", "")}
    try:
        issued = api_key_issue(name=posted["name"], per_minute=posted["per_minute"], actor=request.user.email or "")
    except ValidationError as error:
        return _page(request, posted=posted, errors=error.message_dict, status=400)
    return _page(request, issued=issued)


@staff_required(User.Role.TENANT_ADMIN)
@require_POST
def api_key_revoke_view(request, key_id: int):
    row = api_key_revoke(key_id=key_id, actor=request.user.email or "")
    if row is None:
        return render(request, "404.html", status=404)
    messages.success(request, _("کلید «%(name)s» باطل شد؛ درخواستی که با آن برسد پذیرفته نمی‌شود.") % {"name": row.name})
    return redirect("staff:api_keys")
