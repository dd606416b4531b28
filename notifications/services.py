"""Outgoing e-mail (and, later, SMS): queued after commit, never lost when the broker is down."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

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
