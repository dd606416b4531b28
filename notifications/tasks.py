"""Notifications' Celery tasks. SMS tasks run in the tenant's schema, carried in the
message's `_schema_name` header (tenant-schemas-celery)."""

from celery import shared_task
from django.conf import settings
from django.db import connection

from notifications.services import email_send, sms_send


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_email(self, *, to, subject, body, html=None, logo_png_b64=None):
    email_send(to=to, subject=subject, body=body, html=html, logo_png_b64=logo_png_b64)


@shared_task(bind=True)
def sms_send_task(self, *, message_id: int, single_attempt: bool = False) -> str:
    """Send one SMS; on a gateway failure retry with exponential back-off
    (SMS_RETRY_BACKOFF_SECONDS × 2ⁿ) up to SMS_MAX_RETRIES times, then leave it to the sweep.
    Run in-process (no broker, eager) there is no waiting between retries: one attempt."""
    last_attempt = single_attempt or self.request.is_eager or self.request.retries >= settings.SMS_MAX_RETRIES
    outcome = sms_send(message_id=message_id, last_attempt=last_attempt)
    if outcome == "retry":
        countdown = settings.SMS_RETRY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(countdown=countdown, max_retries=settings.SMS_MAX_RETRIES, headers={"_schema_name": connection.schema_name})
    return outcome
