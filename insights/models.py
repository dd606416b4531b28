"""The cross-tenant rollup (public schema): one row per tenant and Jalali month, written nightly."""

from __future__ import annotations

from datetime import timedelta

from django.db import models

# A run queued this long ago and still unfinished lost its worker.
STALE_AFTER = timedelta(minutes=30)


class TenantMonth(models.Model):
    """A tenant's figures for one Jalali month: counts, sums for means, and each capability's
    numerator and denominator (so that any run of months adds up exactly)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="insight_months")
    month = models.PositiveIntegerField()  # Jalali year * 100 + month
    accepted = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    days_sum = models.BigIntegerField(default=0)  # calendar days, acceptance to answer, summed
    work_sum = models.BigIntegerField(default=0)  # working days, summed
    capabilities = models.JSONField(default=dict)  # {"1": [numerator, denominator], ...}
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "month"], name="insights_tenant_month_once")]
        indexes = [models.Index(fields=["month"])]


class RollupRun(models.Model):
    """One roll-up of every ready tenant (nightly by beat, by `seed_demo`, or on demand from the
    vendor): /insights/ shows its progress while it runs and, once done, when it finished."""

    class Status(models.TextChoices):
        QUEUED = "queued", "در صف"
        RUNNING = "running", "در جریان"
        DONE = "done", "انجام شد"
        FAILED = "failed", "ناموفق"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.CharField(max_length=254, blank=True)  # an e-mail, "beat" or "seed_demo"
    tenants_total = models.PositiveIntegerField(default=0)
    tenants_done = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]

    @property
    def unfinished(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def lost(self) -> bool:
        """Unfinished for so long that no worker is doing it: the vendor may start another."""
        from django.utils import timezone

        return self.unfinished and self.queued_at < timezone.now() - STALE_AFTER

    @property
    def under_way(self) -> bool:
        return self.unfinished and not self.lost


class TenantPeriod(models.Model):
    """A tenant's figures summed over one Jalali month, quarter or year, written with its months
    by each rollup of that tenant: /insights/ reads a page of them in rank order through an index,
    so the page costs the same with thirty tenants as with thirty thousand (README, issue 14)."""

    # The unique (tenant, period) leads with the tenant.
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="insight_periods", db_index=False)
    period = models.CharField(max_length=10)  # "m140212", "q1402-4", "y1402" (insights.ranking.period_key)
    # Copied from the tenant at the rollup: the ranking's groups, scope and tie-break, read by the index.
    kind = models.CharField(max_length=20)
    province_code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    band = models.PositiveSmallIntegerField()  # the index of its size band in compare.SIZE_BANDS
    accepted = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    mean_work = models.FloatField(null=True)
    total = models.FloatField(null=True)
    shares = models.JSONField(default=dict)  # {"1": 50.0, ...}
    computed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "period"], name="insights_tenant_period_once")]
        indexes = [
            # A group's page in rank order (total, best first, then name): the vendor's, a province's.
            models.Index(models.F("period"), models.F("kind"), models.F("band"), models.F("total").desc(nulls_last=True),
                         models.F("name"), name="insights_period_rank"),
            models.Index(models.F("period"), models.F("province_code"), models.F("kind"), models.F("band"),
                         models.F("total").desc(nulls_last=True), models.F("name"), name="insights_period_province_rank"),
        ]


class ScopeMonth(models.Model):
    """One month's sums over every tenant (scope "") or over one province's (its code), kept up to
    date by each tenant's rollup: the monthly trends of /insights/ without reading every tenant."""

    scope = models.CharField(max_length=40)
    month = models.PositiveIntegerField()
    accepted = models.BigIntegerField(default=0)
    answered = models.BigIntegerField(default=0)
    on_time = models.BigIntegerField(default=0)
    work_sum = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "month"], name="insights_scope_month_once")]
