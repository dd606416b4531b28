"""Outgoing e-mail (and, later, SMS): queued after commit, never lost when the broker is down;
and notices left for a tenant's staff in the staff area."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def email_send(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one e-mail now (what the Celery task calls)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def email_queue(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send after the surrounding transaction commits, through the worker.

    When the broker cannot be reached the e-mail is sent in this process instead, so that
    an invitation is never lost with a Redis outage.
    """

    def enqueue():
        from notifications.tasks import send_email

        try:
            send_email.apply_async(kwargs={"to": to, "subject": subject, "body": body, "html": html}, retry=False)
        except Exception as error:  # kombu raises several kinds for an unreachable broker
            logger.warning("Broker unreachable (%s); sending the e-mail to %s in-process.", error, to)
            email_send(to=to, subject=subject, body=body, html=html)

    transaction.on_commit(enqueue)


@transaction.atomic
def staff_notice_send(*, kind: str, payload: dict, dedupe_key: str, roles: tuple[str, ...] | None = None) -> int:
    """Leave a notice for the current schema's active staff with `roles` (admins by default);
    a second call with the same key adds nothing. Returns how many staff were addressed."""
    from accounts.models import User
    from notifications.models import StaffNotice

    recipients = list(
        User.objects.filter(is_active=True, role__in=roles or (User.Role.TENANT_ADMIN,)).values_list("pk", flat=True)
    )
    StaffNotice.objects.bulk_create(
        [StaffNotice(recipient_id=pk, kind=kind, payload=payload, dedupe_key=dedupe_key) for pk in recipients],
        ignore_conflicts=True,
    )
    return len(recipients)


@transaction.atomic
def staff_notice_mark_read(*, notice, user) -> None:
    """A notice leaves the staff home once its recipient has read it."""
    if notice.recipient_id != user.pk:
        raise PermissionError("Only the recipient marks a notice read.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
