"""The insights API: the same figures and the same reach as the pages, as JSON.

`ReportView` is on tenant hosts (tenant admins every unit, unit managers their units; anyone
else 403); `RollupView` on the platform domain (the vendor every tenant, a supervisor their
province; anyone else 403). Session authentication, read-only.
"""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from insights.api_serializers import ReportSerializer, RollupSerializer
from insights.compare import comparison
from insights.periods import period_from_query
from insights.reports import report_figures, report_units_for
from insights.scorecard import scorecard_compute

PERIOD_PARAMETERS = [
    OpenApiParameter("year", int, description="Jalali year, e.g. 1403; the current one if left out"),
    OpenApiParameter("month", int, description="1–12: that month of the year"),
    OpenApiParameter("quarter", int, description="1–4: that quarter of the year"),
    OpenApiParameter("from", str, description="a Jalali range, with `to`: 1403/01/01"),
    OpenApiParameter("to", str, description="the range's last day, included: 1403/03/31"),
]
FORBIDDEN = OpenApiResponse(description="not signed in, or a role without this report")


class ReportView(APIView):
    @extend_schema(
        operation_id="insights_report",
        summary="گزارش دستگاه و کارنامه ده قابلیت",
        description="The tenant's figures for a period (counts, calendar and working-day times, breakdowns, "
                    "the previous period, survey scores) and the ten-capability scorecard. Tenant admins: "
                    "every unit; unit managers: their unit and the units under it.",
        parameters=PERIOD_PARAMETERS,
        responses={200: ReportSerializer, 403: FORBIDDEN},
    )
    def get(self, request):
        period = period_from_query(request.query_params)
        units = report_units_for(request.user)
        report = report_figures(period=period, units=units)
        scorecard = scorecard_compute(period=period, units=units)
        data = {
            "period": period, "units": units, "total": report.total, "previous": report.previous, "by": report.by,
            "survey_axes": report.survey_axes, "survey_services": report.survey_services,
            "scorecard": {"capabilities": [{**asdict(c), "share": c.share} for c in scorecard["capabilities"]],
                          "total": scorecard["total"]},
        }
        return Response(ReportSerializer(data).data)


class RollupView(APIView):
    @extend_schema(
        operation_id="insights_rollup",
        summary="مقایسه دستگاه‌ها از روی جمع‌بندی شبانه",
        description="The nightly rollup for a period: tenants ranked per capability and in total within "
                    "(kind, size band), those with too few requests apart, monthly trends. The vendor: "
                    "every tenant; a provincial supervisor: the tenants of their province.",
        parameters=PERIOD_PARAMETERS,
        responses={200: RollupSerializer, 403: FORBIDDEN},
    )
    def get(self, request):
        data = comparison(user=request.user, period=period_from_query(request.query_params))
        return Response(RollupSerializer(data).data)
