"""The mirror of the national service registry (سامانه مدیریت خدمات دولت) and its sync runs.

Public schema: every tenant reads the same mirror (the public schema is on each tenant's
search_path) and builds its catalogue from it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class NationalService(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", _("مصوب")
        RETIRED = "retired", _("منسوخ")

    class Type(models.TextChoices):
        G2C = "G2C", _("به شهروندان")
        G2B = "G2B", _("به کسب و کار")
        G2G = "G2G", _("به دستگاه‌های دولتی")

    # The national ID is the key: tenants' catalogues and the registry itself refer to it.
    service_id = models.CharField(_("شناسه خدمت"), max_length=11, primary_key=True)
    # Some bodies publish 10-digit IDs; they are kept but flagged for the vendor to check.
    has_short_id = models.BooleanField(_("شناسه ۱۰ رقمی"), default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("خدمت مادر")
    )
    title = models.CharField(_("عنوان مصوب"), max_length=500)
    agency_code = models.CharField(_("کد دستگاه"), max_length=20)
    agency_name = models.CharField(_("نام دستگاه"), max_length=300)
    service_types = ArrayField(models.CharField(max_length=3, choices=Type.choices), verbose_name=_("نوع خدمت"))
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices)
    registry_updated_at = models.DateTimeField(_("زمان تغییر در سامانه ملی"))
    # A digest of the fields above as the registry gave them: a re-sync compares only this.
    content_hash = models.CharField(max_length=32)
    first_seen_at = models.DateTimeField(_("نخستین دریافت"))
    last_seen_at = models.DateTimeField(_("آخرین دریافت"))
    changed_at = models.DateTimeField(_("آخرین تغییر در آینه"))
    missing_since = models.DateTimeField(_("نبود در خروجی کامل از"), null=True, blank=True)

    class Meta:
        ordering = ["service_id"]
        verbose_name = _("خدمت ملی")
        verbose_name_plural = _("خدمات ملی")
        indexes = [models.Index(fields=["status"], name="registry_ns_status")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.title}"

    @property
    def is_missing(self) -> bool:
        return self.missing_since is not None

    def type_labels(self) -> list[str]:
        labels = dict(self.Type.choices)
        return [str(labels.get(code, code)) for code in self.service_types]


class SyncRun(models.Model):
    """One attempt to bring the mirror in line with a full export of the registry."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("در صف")
        RUNNING = "running", _("در حال اجرا")
        SUCCEEDED = "succeeded", _("انجام شد")
        FAILED = "failed", _("ناموفق")
        REFUSED = "refused", _("رد شد: همگام‌سازی دیگری در جریان است")

    FINISHED = (Outcome.SUCCEEDED, Outcome.FAILED, Outcome.REFUSED)

    source = models.CharField(_("منبع"), max_length=1000)
    triggered_by = models.CharField(_("آغازکننده"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    started_at = models.DateTimeField(_("آغاز"), null=True, blank=True)
    finished_at = models.DateTimeField(_("پایان"), null=True, blank=True)
    outcome = models.CharField(_("نتیجه"), max_length=10, choices=Outcome.choices, default=Outcome.QUEUED)
    error = models.TextField(_("علت"), blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(_("افزوده"), default=0)
    changed = models.PositiveIntegerField(_("تغییریافته"), default=0)
    retired = models.PositiveIntegerField(_("منسوخ‌شده"), default=0)
    missing = models.PositiveIntegerField(_("غایب"), default=0)
    unchanged = models.PositiveIntegerField(_("بدون تغییر"), default=0)
    invalid = models.PositiveIntegerField(_("نامعتبر"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("اجرای همگام‌سازی")
        verbose_name_plural = _("اجراهای همگام‌سازی")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.outcome}"

    @property
    def is_finished(self) -> bool:
        return self.outcome in self.FINISHED

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class InvalidRow(models.Model):
    """A row of an export that was skipped, with why (an error code the UI translates)."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="invalid_rows")
    line = models.PositiveIntegerField(_("ردیف"))
    service_id = models.CharField(_("شناسه خدمت"), max_length=100, blank=True)
    reason = models.CharField(_("علت"), max_length=40)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["line"]


class ServiceChange(models.Model):
    """What a run changed in a service that was already mirrored: what tenants must act on."""

    class Kind(models.TextChoices):
        RETIRED = "retired", _("منسوخ شد")
        TITLE_CHANGED = "title_changed", _("عنوان تغییر کرد")
        REAPPROVED = "reapproved", _("دوباره مصوب شد")
        OTHER = "other", _("تغییر دیگر")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="changes")
    service = models.ForeignKey(NationalService, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old_title = models.CharField(max_length=500, blank=True)
    new_title = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["service_id"]
