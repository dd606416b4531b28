"""Reads of staff notices."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import StaffNotice

UNREAD_LIMIT = 20


def staff_notices_unread(*, user) -> QuerySet[StaffNotice]:
    return StaffNotice.objects.filter(recipient=user, read_at__isnull=True)[:UNREAD_LIMIT]
