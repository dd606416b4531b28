"""The tenant's report page and its exports (tenant admins: every unit; unit managers: theirs)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.permissions import staff_required
from insights.charts import report_charts
from insights.exports import HEADERS, report_csv, report_pdf, report_tables, report_xlsx
from insights.periods import MONTHS, period_errors, period_from_query
from insights.reports import report_figures, report_units_for
from insights.scorecard import scorecard_compute
from catalog.models import Service
from lib.pdf import content_disposition, pdf_response
from payments.selectors import income_by_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request) -> dict:
    period = period_from_query(request.GET)
    units = report_units_for(request.user)
    report = report_figures(period=period, units=units)
    return {
        "report": report, "period": period, "months": MONTHS, "tables": report_tables(report), "headers": HEADERS,
        "filter_errors": period_errors(request.GET), "typed": request.GET,
        "scorecard": scorecard_compute(period=period, units=units),
        "charts": report_charts(report),
        "income": _income(period, units),
    }


def _income(period, units) -> list[dict]:
    """Fees paid online in the period per service (live gateways; a unit manager: their units' services)."""
    services = None if units is None else Service.objects.filter(units__in=units).distinct()
    return income_by_service(start=period.start, end=period.end, services=services)


@staff_required(User.Role.UNIT_MANAGER)
def report(request):
    return render(request, "insights/report.html", _context(request))


@staff_required(User.Role.UNIT_MANAGER)
def report_export(request, fmt: str):
    context = _context(request)
    name = f"report-{context['period'].query().replace('&', '-').replace('=', '').replace('/', '')}"
    if fmt == "pdf":
        return pdf_response(report_pdf(context["report"], tenant=request.tenant, context=context), filename=f"{name}.pdf")
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(context["report"], income=context["income"]), content_type=XLSX)
    else:
        response = HttpResponse(report_csv(context["report"]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}", inline=False)
    return response
