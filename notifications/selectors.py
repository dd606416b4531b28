"""Reads of staff notices and of the SMS outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import SmsMessage, StaffNotice

UNREAD_LIMIT = 20


def staff_notices_unread(*, user) -> QuerySet[StaffNotice]:
    return StaffNotice.objects.filter(recipient=user, read_at__isnull=True)[:UNREAD_LIMIT]


def sms_status_for(message_id: int | None) -> str:
    """The outbox status of one message ("queued", "sent", "delivered", "failed"); "failed"
    when there is no such message. A receipt says "پیامک ارسال نشد" unless `sms_is_out`."""
    status = SmsMessage.objects.filter(pk=message_id).values_list("status", flat=True).first() if message_id else None
    return status or SmsMessage.Status.FAILED


def sms_is_out(message_id: int | None) -> bool:
    return sms_status_for(message_id) in (SmsMessage.Status.SENT, SmsMessage.Status.DELIVERED)
