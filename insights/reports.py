"""The tenant's report: counts and times from acceptance to answer, aggregated in PostgreSQL.

Every figure is for the requests accepted (submitted) in the period: of those, how many are
answered, open and late, and how long the answered ones took. One query with GROUPING SETS
gives the total and the breakdowns (unit kind, unit, service, channel, Jalali month); a second
gives the survey scores. Nothing loops over requests in Python. Call inside the tenant's schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from catalog.models import Service, Unit
from insights.periods import Period, month_key_label
from insights.sql_names import TABLES
from insights.workdays import calendar_build
from intake.casework.selectors import staff_unit, unit_subtree_ids
from intake.models import ServiceRequest
from intake.surveys.services import AXES

TZ = "Asia/Tehran"
DIMENSIONS = ("unit_kind", "unit_id", "service_id", "channel", "month")
SQL_DIMENSIONS = ("unit_id", "service_id", "channel", "month")  # unit_kind and the total are summed from these
REPORT_WORK_MEM = "64MB"  # the grouping sets are hashed: keep them in memory
FIGURES = (
    "accepted", "answered", "open", "late", "on_time",
    "mean_days", "median_days", "p90_days", "mean_work", "median_work", "p90_work",
    "citizen_work", "bodies_work", "desk_work",
)

# Positions, not dates: `width_bucket(ts, starts)` is the 1-based position in the calendar of the
# Tehran day holding `ts` (`starts` are each day's local midnight instants), so `idx[pos]` and
# `months[pos]` are array look-ups and a difference of positions is a difference of days: no
# AT TIME ZONE and no join per request. A date's position is `d - first + 1`.
REPORT_SQL = """
WITH scope AS NOT MATERIALIZED (
    SELECT r.id, r.submitted_at >= %(start)s AS current, r.unit_id, r.service_id, r.channel, r.promised_date - %(first)s::date + 1 AS pp, r.paused_days,
           width_bucket(r.submitted_at, %(starts)s::timestamptz[]) AS sp,
           CASE WHEN r.answered_at >= %(horizon)s OR r.answered_at < %(dawn)s  -- outside the calendar: rare, exact
                THEN (r.answered_at AT TIME ZONE %(tz)s)::date - %(first)s::date + 1
                ELSE width_bucket(r.answered_at, %(starts)s::timestamptz[]) END AS ap
    FROM {requests} r
    WHERE ((r.submitted_at >= %(start)s AND r.submitted_at < %(end)s)
           OR (r.submitted_at >= %(previous_start)s AND r.submitted_at < %(previous_end)s)) {unit_filter}
),
bodies AS (
    SELECT s.id AS request_id,
           SUM(GREATEST((%(idx)s::int[])[LEAST(COALESCE(i.replied_on - %(first)s::date + 1, s.ap, %(tp)s), COALESCE(s.ap, %(tp)s))]
                        - (%(idx)s::int[])[i.sent_on - %(first)s::date + 1], 0))::int AS work
    FROM {inquiries} i
    JOIN scope s ON s.id = i.request_id
    GROUP BY s.id
),
base AS (
    SELECT CASE WHEN s.current THEN s.unit_id END AS unit_id, CASE WHEN s.current THEN s.service_id END AS service_id,
           CASE WHEN s.current THEN s.channel END AS channel, CASE WHEN s.current THEN (%(months)s::int[])[s.sp] END AS month,
           s.ap IS NOT NULL AS answered,
           CASE WHEN s.ap IS NULL THEN s.pp < %(tp)s ELSE s.ap > s.pp END AS late,
           s.ap - s.sp AS days,
           (%(idx)s::int[])[s.ap] - (%(idx)s::int[])[s.sp] AS work,
           CASE WHEN s.ap IS NOT NULL THEN s.paused_days END AS citizen,
           CASE WHEN s.ap IS NOT NULL THEN COALESCE(b.work, 0) END AS bodies
    FROM scope s
    LEFT JOIN bodies b ON b.request_id = s.id
)
SELECT {grouping} AS g, {keys}, days, work,
       COUNT(*), COUNT(*) FILTER (WHERE answered), COUNT(*) FILTER (WHERE late), COUNT(*) FILTER (WHERE answered AND NOT late),
       SUM(citizen), SUM(bodies), SUM(CASE WHEN answered THEN GREATEST(work - citizen - bodies, 0) END)
FROM base
GROUP BY GROUPING SETS ({sets})
"""

# The answered surveys of the period are found once (one join with the requests), then read
# twice: mean per axis and per service and axis (g 0–1), and per service and in all the number
# of surveys and the mean of each survey's own mean (g 2–3).
SURVEY_SQL = """
WITH answered AS MATERIALIZED (
    SELECT r.service_id, s.axis_scores
    FROM {surveys} s
    JOIN {requests} r ON r.id = s.request_id
    WHERE s.answered_at IS NOT NULL AND s.axis_scores IS NOT NULL
      AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s {unit_filter}
)
SELECT GROUPING(v.service_id) AS g, v.service_id, a.key, AVG(a.value::numeric), COUNT(*)
FROM answered v CROSS JOIN LATERAL jsonb_each_text(v.axis_scores) a
GROUP BY GROUPING SETS ((a.key), (v.service_id, a.key))
UNION ALL
SELECT 2 + GROUPING(v.service_id), v.service_id, NULL, AVG(sc.mean), COUNT(*)
FROM answered v CROSS JOIN LATERAL (SELECT AVG(value::numeric) AS mean FROM jsonb_each_text(v.axis_scores)) sc
GROUP BY ROLLUP (v.service_id)
"""


@dataclass
class Report:
    period: Period
    total: dict
    previous: dict
    by: dict = field(default_factory=dict)  # dimension -> list of rows
    survey_axes: list = field(default_factory=list)  # (axis, mean, count)
    survey_services: list = field(default_factory=list)  # {service, axes: {axis: mean}, count, mean}


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def _round(value):
    return None if value is None else round(float(value), 2)


def _params(period: Period, units, today: date, *, since: date | None = None) -> tuple[dict, str]:
    span_end = max(period.end, today) + timedelta(days=1)
    cal = calendar_build(min(since or period.start, period.start) - timedelta(days=1), span_end)
    first = cal.days[0]
    params = {"first": first, "idx": cal.index, "months": cal.months, "tp": (today - first).days + 1,
              "starts": [local_midnight(d) for d in cal.days], "dawn": local_midnight(first),
              "horizon": local_midnight(cal.days[-1] + timedelta(days=1)), "tz": TZ, "today": today,
              "start": local_midnight(period.start), "end": local_midnight(period.end)}
    previous = period.previous()
    params["previous_start"], params["previous_end"] = local_midnight(previous.start), local_midnight(previous.end)
    unit_filter = ""
    if units is not None:
        params["units"] = list(units)
        unit_filter = "AND r.unit_id = ANY(%(units)s)"
    return params, unit_filter


class _Tally:
    """Sums of grouped rows, and the histograms of calendar and working days of the answered."""

    def __init__(self):
        self.accepted = self.answered = self.late = self.on_time = 0
        self.citizen = self.bodies = self.desk = 0
        self.days: dict = {}
        self.work: dict = {}

    def add(self, row) -> None:
        days, work, accepted, answered, late, on_time, citizen, bodies, desk = row
        self.accepted, self.answered = self.accepted + accepted, self.answered + answered
        self.late, self.on_time = self.late + late, self.on_time + on_time
        self.citizen, self.bodies, self.desk = self.citizen + (citizen or 0), self.bodies + (bodies or 0), self.desk + (desk or 0)
        for histogram, value in ((self.days, days), (self.work, work)):
            if value is not None:
                histogram[value] = histogram.get(value, 0) + answered

    def merge(self, other: _Tally) -> None:
        for name in ("accepted", "answered", "late", "on_time", "citizen", "bodies", "desk"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.days, other.days), (self.work, other.work)):
            for value, count in theirs.items():
                mine[value] = mine.get(value, 0) + count

    def figures(self) -> dict:
        per_answered = (lambda total: _round(total / self.answered)) if self.answered else (lambda total: None)
        found = {"accepted": self.accepted, "answered": self.answered, "open": self.accepted - self.answered,
                 "late": self.late, "on_time": self.on_time,
                 "citizen_work": per_answered(self.citizen), "bodies_work": per_answered(self.bodies), "desk_work": per_answered(self.desk)}
        for measure, histogram in (("days", self.days), ("work", self.work)):
            count = sum(histogram.values())
            found[f"mean_{measure}"] = _round(sum(v * c for v, c in histogram.items()) / count) if count else None
            found[f"median_{measure}"] = _round(percentile_cont(histogram, 0.5))
            found[f"p90_{measure}"] = _round(percentile_cont(histogram, 0.9))
        return {k: found[k] for k in FIGURES}


def percentile_cont(histogram: dict, fraction: float):
    """PostgreSQL's percentile_cont over the values a histogram {value: count} stands for:
    exact, and with no sort of the rows (durations are whole days: few distinct values)."""
    total = sum(histogram.values())
    if not total:
        return None
    position = fraction * (total - 1)
    low, high = int(position), min(int(position) + 1, total - 1)
    found, seen = {}, 0
    for value in sorted(histogram):
        seen += histogram[value]
        for rank in (low, high):
            if rank < seen:
                found.setdefault(rank, value)
        if high in found:
            break
    return found[low] + (position - low) * (found[high] - found[low])


def _run(period: Period, units, today: date) -> tuple[dict, _Tally]:
    """One hashed pass over the requests of the period and of the one before, grouped by
    (dimension, days, working days): ({(dimension, key): _Tally}, previous period's _Tally).
    The previous period's rows carry no dimension (their keys are NULL: the columns are NOT
    NULL), the total is the sum over channels and a unit kind the sum over its units."""
    params, unit_filter = _params(period, units, today, since=period.previous().start)
    sets = ", ".join(f"({d}, days, work)" for d in SQL_DIMENSIONS)
    grouping, keys = f"GROUPING({', '.join(SQL_DIMENSIONS)})", ", ".join(SQL_DIMENSIONS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        cursor.execute(REPORT_SQL.format(unit_filter=unit_filter, sets=sets, grouping=grouping, keys=keys, **TABLES), params)
        rows = cursor.fetchall()
    tallies: dict = {}
    previous = _Tally()
    for row in rows:
        grouping, keys = row[0], row[1:1 + len(SQL_DIMENSIONS)]
        position = next(i for i in range(len(SQL_DIMENSIONS)) if not grouping & (1 << (len(SQL_DIMENSIONS) - 1 - i)))
        dimension, key, figures = SQL_DIMENSIONS[position], keys[position], row[1 + len(SQL_DIMENSIONS):]
        if key is not None:
            tallies.setdefault((dimension, key), _Tally()).add(figures)
        elif dimension == "channel":
            previous.add(figures)
    total = tallies[(None, None)] = _Tally()
    kinds = _unit_kinds([key for dimension, key in tallies if dimension == "unit_id"])
    for (dimension, key), tally in list(tallies.items()):
        if dimension == "channel":
            total.merge(tally)
        elif dimension == "unit_id":
            tallies.setdefault(("unit_kind", kinds.get(key)), _Tally()).merge(tally)
    return tallies, previous


def _unit_kinds(unit_ids) -> dict:
    return dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "kind"))


def _empty() -> dict:
    return {k: (0 if k in FIGURES[:5] else None) for k in FIGURES}


def report_figures(*, period: Period, units=None, today: date | None = None, breakdowns: bool = True) -> Report:
    """The report for `period`; `units` limits it to those unit ids (None: every unit)."""
    today = today or timezone.localdate()
    report = Report(period=period, total=_empty(), previous=_empty(), by={d: [] for d in DIMENSIONS})
    tallies, previous = _run(period, units, today)
    for (dimension, key), tally in tallies.items():
        if dimension is None:
            report.total = tally.figures()
        elif breakdowns:
            report.by[dimension].append({"key": key, **tally.figures()})
    report.previous = previous.figures()
    if breakdowns:
        _label(report)
        _surveys(report, units)
    return report


def _label(report: Report) -> None:
    units = dict(Unit.objects.filter(pk__in=[r["key"] for r in report.by["unit_id"]]).values_list("pk", "name"))
    services = {s.pk: s.title for s in Service.objects.filter(pk__in=[r["key"] for r in report.by["service_id"]])}
    kinds, channels = dict(Unit.Kind.choices), dict(ServiceRequest.Channel.choices)
    labels = {"unit_kind": kinds, "unit_id": units, "service_id": services, "channel": channels}
    for dimension, rows in report.by.items():
        for row in rows:
            row["label"] = month_key_label(row["key"]) if dimension == "month" else str(labels[dimension].get(row["key"], row["key"]))
        rows.sort(key=lambda r: r["key"] if dimension == "month" else (-r["accepted"], r["label"]))


def _surveys(report: Report, units) -> None:
    params, unit_filter = _params(report.period, units, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(SURVEY_SQL.format(unit_filter=unit_filter, **TABLES), params)
        rows = cursor.fetchall()
    axis_rows = [row for row in rows if row[0] < 2]
    count_rows = [(service_id, count, mean) for g, service_id, _axis, mean, count in rows if g >= 2]
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
    if not (user.is_authenticated and user.is_tenant_staff):
        raise PermissionDenied
    if user.role == User.Role.TENANT_ADMIN:
        return None
    if user.role == User.Role.UNIT_MANAGER:
        unit = staff_unit(user)
        return unit_subtree_ids(unit) if unit else []
    raise PermissionDenied
