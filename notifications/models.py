"""Notices for a tenant's staff, shown in the staff area (tenant schema).

The table also exists in the public schema (the app is shared too); only tenant schemas
hold notices.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffNotice(models.Model):
    class Kind(models.TextChoices):
        REGISTRY_CHANGES = "registry_changes", _("تغییر در فهرست ملی خدمات")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("نوع"), max_length=40, choices=Kind.choices)
    # What the notice's template shows; its text lives in templates/notifications/notices/.
    payload = models.JSONField(default=dict)
    # One notice per recipient per event, however often the sender is called.
    dedupe_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("زمان"), auto_now_add=True)
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("اعلان کارکنان")
        verbose_name_plural = _("اعلان‌های کارکنان")
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notifications_notice_once")]

    @property
    def template_name(self) -> str:
        return f"notifications/notices/{self.kind}.html"
