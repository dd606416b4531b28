"""/insights/ on the platform domain: the vendor sees every tenant, a supervisor their province."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render

from insights.compare import comparison, comparison_xlsx
from insights.periods import MONTHS, period_from_query
from insights.views_staff import XLSX


def overview(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    period = period_from_query(request.GET)
    data = comparison(user=request.user, period=period)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(comparison_xlsx(data), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="insights.xlsx"'
        return response
    return render(request, "insights/overview.html", {**data, "months": MONTHS})
