"""API keys of a tenant's Open311 clients (tenant schema: a key belongs to its tenant alone)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A key's name becomes the channel (مجرای ثبت) of the requests it creates, so it fits there.
NAME_MAX_LENGTH = 20


class ApiKey(models.Model):
    """One Open311 client's key. Only its SHA-256 is stored: the key itself is shown once, when
    it is issued; `prefix` lets an admin tell keys apart."""

    name = models.CharField(_("نام"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    per_minute = models.PositiveIntegerField(_("سقف درخواست در دقیقه"), default=60)
    created_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["revoked_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(revoked_at__isnull=True), name="open311_key_active_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
