"""/insights/ on the platform domain: the vendor sees every tenant, a supervisor their province."""

from __future__ import annotations

import re

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from insights.compare import comparison, comparison_xlsx, overview as overview_of
from insights.models import RollupRun
from insights.periods import MONTHS, period_from_query
from insights.services import rollup_request
from insights.views_staff import XLSX
from lib.persian import to_ascii_digits

GROUP = re.compile(r"(\w+-\d|few)")


def _page_number(text: str) -> int:
    """The page asked for (Persian digits too); the first for anything else."""
    text = to_ascii_digits(text.strip())
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1


def overview(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    period = period_from_query(request.GET)
    if request.GET.get("format") == "xlsx":  # the export: every visible tenant
        response = HttpResponse(comparison_xlsx(comparison(user=request.user, period=period)), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="insights.xlsx"'
        return response
    group = request.GET.get("group", "")
    data = overview_of(user=request.user, period=period, group=group if GROUP.fullmatch(group) else "",
                    page=_page_number(request.GET.get("page", "")))
    return render(request, "insights/overview.html", {
        **data, "months": MONTHS, "run": RollupRun.objects.first(),
        "last_done": RollupRun.objects.filter(status=RollupRun.Status.DONE).order_by("-finished_at").first(),
        "can_roll_up": request.user.role == User.Role.VENDOR,
    })


@require_POST
def rollup(request):
    """The vendor's "roll up now": queued for the worker; /insights/ shows how far it got."""
    if not request.user.is_authenticated:
        return redirect_to_login("/insights/")
    if request.user.role != User.Role.VENDOR:
        raise PermissionDenied
    rollup_request(requested_by=request.user.email)
    query = request.GET.urlencode()  # back to the period the vendor was looking at
    return redirect(reverse("insights:overview") + (f"?{query}" if query else ""))
