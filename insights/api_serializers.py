"""What the insights API returns: the report page's figures and the cross-tenant comparison,
described field by field so that the OpenAPI schema says what each number is."""

from __future__ import annotations

from datetime import timedelta

from rest_framework import serializers


def _days(help_text: str):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["month", "quarter", "year", "range"])
    label = serializers.CharField(help_text="Persian, e.g. «اسفند ۱۴۰۲»")
    first_day = serializers.DateField(source="start", help_text="Gregorian, included")
    last_day = serializers.SerializerMethodField(help_text="Gregorian, included")
    query = serializers.CharField(help_text="the query string that asks for this period again")

    def get_last_day(self, period) -> str:
        return (period.end - timedelta(days=1)).isoformat()


class FiguresSerializer(serializers.Serializer):
    """Of the requests accepted (submitted) in the period; times for the answered ones."""

    accepted = serializers.IntegerField()
    answered = serializers.IntegerField()
    open = serializers.IntegerField()
    late = serializers.IntegerField(help_text="open and past the promised date, or answered after it")
    on_time = serializers.IntegerField(help_text="answered by the promised date")
    mean_days = _days("calendar days from acceptance to answer (Tehran dates)")
    median_days = _days("calendar days, median")
    p90_days = _days("calendar days, 90th percentile")
    mean_work = _days("working days from acceptance to answer")
    median_work = _days("working days, median")
    p90_work = _days("working days, 90th percentile")
    citizen_work = _days("mean days waiting on the citizen (paused)")
    bodies_work = _days("mean working days waiting on other bodies (inquiries)")
    desk_work = _days("mean working days of the desk's own time")


class TotalSerializer(FiguresSerializer):
    surveys = serializers.IntegerField(help_text="answered surveys")
    survey_mean = _days("mean score over every axis of every answered survey")


class BreakdownRowSerializer(FiguresSerializer):
    key = serializers.JSONField(help_text="unit kind or channel code, unit or service id, or Jalali month as YYYYMM")
    label = serializers.CharField()


class BreakdownsSerializer(serializers.Serializer):
    unit_kind = BreakdownRowSerializer(many=True, help_text="headquarters against districts")
    unit_id = BreakdownRowSerializer(many=True)
    service_id = BreakdownRowSerializer(many=True)
    channel = BreakdownRowSerializer(many=True)
    month = BreakdownRowSerializer(many=True)


class SurveyAxisSerializer(serializers.Serializer):
    axis = serializers.CharField()
    mean = _days("mean score")
    count = serializers.IntegerField()


class SurveyServiceSerializer(serializers.Serializer):
    service_id = serializers.IntegerField()
    label = serializers.CharField()
    axes = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="axis → mean score")
    count = serializers.IntegerField()
    mean = _days("mean score")


class CapabilitySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    formula = serializers.CharField(help_text="how the share is computed, in Persian")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="numerator ÷ denominator × 100; null without data")


class ScorecardSerializer(serializers.Serializer):
    capabilities = CapabilitySerializer(many=True)
    total = serializers.FloatField(allow_null=True, help_text="mean of the shares that have data")


class ReportSerializer(serializers.Serializer):
    period = PeriodSerializer()
    units = serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                  help_text="the unit ids covered; null for every unit (tenant admins)")
    total = TotalSerializer()
    previous = FiguresSerializer(help_text="the same figures for the period before")
    by = BreakdownsSerializer()
    survey_axes = SurveyAxisSerializer(many=True)
    survey_services = SurveyServiceSerializer(many=True)
    scorecard = ScorecardSerializer()


class TenantEntrySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField()
    accepted = serializers.IntegerField()
    answered = serializers.IntegerField()
    late = serializers.IntegerField()
    mean_work = _days("mean working days from acceptance to answer")
    shares = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="capability number → share (0–100)")
    total = serializers.FloatField(allow_null=True)
    ranks = serializers.DictField(child=serializers.IntegerField(), required=False,
                                  help_text="capability number or «total» → place within the group")


class GroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="tenant kind (municipality, dehyari, …)")
    band = serializers.CharField(help_text="size band by accepted requests in the period")
    members = TenantEntrySerializer(many=True)


class TrendSerializer(serializers.Serializer):
    month = serializers.IntegerField(help_text="Jalali YYYYMM")
    label = serializers.CharField()
    accepted = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    mean_work = serializers.FloatField(allow_null=True)


class RollupSerializer(serializers.Serializer):
    period = PeriodSerializer()
    min_requests = serializers.IntegerField(help_text="below this many accepted requests a tenant is listed apart, unranked")
    groups = GroupSerializer(many=True, help_text="like with like: ranked within kind and size band")
    too_few = TenantEntrySerializer(many=True)
    trends = TrendSerializer(many=True)
