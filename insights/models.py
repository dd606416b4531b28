"""The cross-tenant rollup (public schema): one row per tenant and Jalali month, written nightly."""

from __future__ import annotations

from django.db import models


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
