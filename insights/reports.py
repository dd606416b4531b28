"""The tenant's report: counts and times from acceptance to answer, aggregated in PostgreSQL.

Every figure is for the requests accepted (submitted) in the period: of those, how many are
answered, open and late, and how long the answered ones took. One query with GROUPING SETS
gives the total and the breakdowns (unit kind, unit, service, channel, Jalali month); a second
gives the survey scores. Nothing loops over requests in Python. Call inside the tenant's schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from insights.periods import Period, month_key_label
from insights.workdays import calendar_build

TZ = "Asia/Tehran"
DIMENSIONS = ("unit_kind", "unit_id", "service_id", "channel", "month")
FIGURES = (
    "accepted", "answered", "open", "late", "on_time",
    "mean_days", "median_days", "p90_days", "mean_work", "median_work", "p90_work",
    "citizen_work", "bodies_work", "desk_work",
)

REPORT_SQL = """
WITH cal AS (
    SELECT * FROM unnest(%(days)s::date[], %(idx)s::int[], %(months)s::int[]) AS c(d, idx, jm)
),
scope AS (
    SELECT r.id, r.unit_id, r.service_id, r.channel, r.promised_date,
           (r.submitted_at AT TIME ZONE %(tz)s)::date AS sd,
           (r.answered_at AT TIME ZONE %(tz)s)::date AS ad, r.paused_days
    FROM intake_request r
    WHERE r.submitted_at >= %(start)s AND r.submitted_at < %(end)s {unit_filter}
),
bodies AS (
    SELECT i.request_id, SUM(GREATEST(ce.idx - cs.idx, 0)) AS work
    FROM intake_inquiry i
    JOIN scope s ON s.id = i.request_id
    JOIN cal cs ON cs.d = i.sent_on
    JOIN cal ce ON ce.d = LEAST(COALESCE(i.replied_on, s.ad, %(today)s), COALESCE(s.ad, %(today)s))
    GROUP BY i.request_id
),
base AS (
    SELECT s.unit_id, s.service_id, s.channel, u.kind AS unit_kind, cs.jm AS month,
           s.ad IS NOT NULL AS answered,
           CASE WHEN s.ad IS NULL THEN s.promised_date < %(today)s ELSE s.ad > s.promised_date END AS late,
           s.ad - s.sd AS days,
           ca.idx - cs.idx AS work,
           CASE WHEN s.ad IS NOT NULL THEN s.paused_days END AS citizen,
           CASE WHEN s.ad IS NOT NULL THEN COALESCE(b.work, 0) END AS bodies
    FROM scope s
    JOIN catalog_unit u ON u.id = s.unit_id
    JOIN cal cs ON cs.d = s.sd
    LEFT JOIN cal ca ON ca.d = s.ad
    LEFT JOIN bodies b ON b.request_id = s.id
)
SELECT {grouping} AS g, {keys},
       COUNT(*), COUNT(*) FILTER (WHERE answered), COUNT(*) FILTER (WHERE NOT answered),
       COUNT(*) FILTER (WHERE late), COUNT(*) FILTER (WHERE answered AND NOT late),
       AVG(days), percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days),
       AVG(work), percentile_cont(0.5) WITHIN GROUP (ORDER BY work), percentile_cont(0.9) WITHIN GROUP (ORDER BY work),
       AVG(citizen), AVG(bodies), AVG(CASE WHEN answered THEN GREATEST(work - citizen - bodies, 0) END)
FROM base
GROUP BY GROUPING SETS ({sets})
"""

SURVEY_SQL = """
SELECT GROUPING(r.service_id) AS g, r.service_id, a.key, AVG(a.value::numeric), COUNT(*)
FROM intake_survey s
JOIN intake_request r ON r.id = s.request_id
CROSS JOIN LATERAL jsonb_each_text(s.axis_scores) a
WHERE s.answered_at IS NOT NULL AND s.axis_scores IS NOT NULL
  AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s {unit_filter}
GROUP BY GROUPING SETS ((a.key), (r.service_id, a.key))
"""

SURVEY_COUNT_SQL = """
SELECT r.service_id, COUNT(*), AVG(sc.mean)
FROM intake_survey s
JOIN intake_request r ON r.id = s.request_id
CROSS JOIN LATERAL (SELECT AVG(value::numeric) AS mean FROM jsonb_each_text(s.axis_scores)) sc
WHERE s.answered_at IS NOT NULL AND s.axis_scores IS NOT NULL
  AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s {unit_filter}
GROUP BY ROLLUP (r.service_id)
"""


@dataclass
class Report:
    period: Period
    total: dict
    previous: dict
    by: dict = field(default_factory=dict)  # dimension -> list of rows
    survey_axes: list = field(default_factory=list)  # (axis, mean, count)
    survey_services: list = field(default_factory=list)  # {service, axes: {axis: mean}, count, mean}


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def _round(value):
    return None if value is None else round(float(value), 2)


def _params(period: Period, units, today: date) -> tuple[dict, str]:
    span_end = max(period.end, today) + timedelta(days=1)
    cal = calendar_build(period.start - timedelta(days=1), span_end)
    params = {"days": cal.days, "idx": cal.index, "months": cal.months, "tz": TZ, "today": today,
              "start": _local_midnight(period.start), "end": _local_midnight(period.end)}
    unit_filter = ""
    if units is not None:
        params["units"] = list(units)
        unit_filter = "AND r.unit_id = ANY(%(units)s)"
    return params, unit_filter


def _figures(row) -> dict:
    values = dict(zip(FIGURES, row))
    return {k: (int(v) if k in FIGURES[:5] else _round(v)) for k, v in values.items()}


def _run(period: Period, units, today: date, sets: str) -> list[tuple]:
    params, unit_filter = _params(period, units, today)
    with connection.cursor() as cursor:
        keys = ", ".join(DIMENSIONS)
        grouping, keys = (f"GROUPING({keys})", keys) if sets != "()" else ("31", "NULL, NULL, NULL, NULL, NULL")
        cursor.execute(REPORT_SQL.format(unit_filter=unit_filter, sets=sets, grouping=grouping, keys=keys), params)
        return cursor.fetchall()


def _empty() -> dict:
    return {k: (0 if k in FIGURES[:5] else None) for k in FIGURES}


def report_figures(*, period: Period, units=None, today: date | None = None, breakdowns: bool = True) -> Report:
    """The report for `period`; `units` limits it to those unit ids (None: every unit)."""
    today = today or timezone.localdate()
    sets = "(), (unit_kind), (unit_id), (service_id), (channel), (month)" if breakdowns else "()"
    rows = _run(period, units, today, sets)
    report = Report(period=period, total=_empty(), previous=_empty(), by={d: [] for d in DIMENSIONS})
    full = (1 << len(DIMENSIONS)) - 1
    for row in rows:
        grouping, keys, figures = row[0], row[1:6], _figures(row[6:])
        if grouping == full:
            report.total = figures
            continue
        for position, dimension in enumerate(DIMENSIONS):
            if not grouping & (1 << (len(DIMENSIONS) - 1 - position)):
                report.by[dimension].append({"key": keys[position], **figures})
    previous = _run(period.previous(), units, today, "()")
    if previous:
        report.previous = _figures(previous[0][6:])
    if breakdowns:
        _label(report)
        _surveys(report, units)
    return report


def _label(report: Report) -> None:
    from catalog.models import Service, Unit
    from intake.models import Request

    units = dict(Unit.objects.filter(pk__in=[r["key"] for r in report.by["unit_id"]]).values_list("pk", "name"))
    services = {s.pk: s.title for s in Service.objects.filter(pk__in=[r["key"] for r in report.by["service_id"]])}
    kinds, channels = dict(Unit.Kind.choices), dict(Request.Channel.choices)
    labels = {"unit_kind": kinds, "unit_id": units, "service_id": services, "channel": channels}
    for dimension, rows in report.by.items():
        for row in rows:
            row["label"] = month_key_label(row["key"]) if dimension == "month" else str(labels[dimension].get(row["key"], row["key"]))
        rows.sort(key=lambda r: r["key"] if dimension == "month" else (-r["accepted"], r["label"]))


def _surveys(report: Report, units) -> None:
    from catalog.models import Service
    from intake.surveys import AXES

    params, unit_filter = _params(report.period, units, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(SURVEY_SQL.format(unit_filter=unit_filter), params)
        axis_rows = cursor.fetchall()
        cursor.execute(SURVEY_COUNT_SQL.format(unit_filter=unit_filter), params)
        count_rows = cursor.fetchall()
    order = {axis: i for i, axis in enumerate(AXES)}
    per_service: dict = {}
    for grouping, service_id, axis, mean, count in axis_rows:
        if grouping:
            report.survey_axes.append({"axis": axis, "mean": _round(mean), "count": count})
        else:
            per_service.setdefault(service_id, {})[axis] = _round(mean)
    report.survey_axes.sort(key=lambda r: order.get(r["axis"], 99))
    titles = {s.pk: s.title for s in Service.objects.filter(pk__in=list(per_service))}
    for service_id, count, mean in count_rows:
        if service_id is None:
            report.total["surveys"], report.total["survey_mean"] = count, _round(mean)
            continue
        report.survey_services.append({"service_id": service_id, "label": titles.get(service_id, str(service_id)),
                                       "axes": per_service.get(service_id, {}), "count": count, "mean": _round(mean)})
    report.total.setdefault("surveys", 0)
    report.total.setdefault("survey_mean", None)
    report.survey_services.sort(key=lambda r: -r["count"])


def report_units_for(user):
    """The unit ids a user's report covers: None for every unit (tenant admin), the unit's
    subtree for a unit manager; PermissionDenied for anyone else."""
    from django.core.exceptions import PermissionDenied

    from accounts.models import User
    from intake.staff_selectors import staff_unit, unit_subtree_ids

    if not (user.is_authenticated and user.is_tenant_staff):
        raise PermissionDenied
    if user.role == User.Role.TENANT_ADMIN:
        return None
    if user.role == User.Role.UNIT_MANAGER:
        unit = staff_unit(user)
        return unit_subtree_ids(unit) if unit else []
    raise PermissionDenied
