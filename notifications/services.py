"""Outgoing e-mail and SMS: queued after commit, never lost when the broker is down; and
notices left for a tenant's staff in the staff area."""

from __future__ import annotations

import base64
import hashlib
import logging
from datetime import timedelta
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from lib import branding
from lib.identifiers import clean_mobile
from notifications.models import SmsMessage, StaffNotice
from notifications.sms import SmsGatewayError, sms_gateway

logger = logging.getLogger(__name__)


def email_send(*, to: list[str], subject: str, body: str, html: str | None = None, logo_png_b64: str | None = None) -> None:
    """Send one e-mail now (what the Celery task calls). With `logo_png_b64`, the logo travels
    inside the message (Content-ID «logo», which the HTML part shows): mail clients block
    images loaded from elsewhere."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    if html and logo_png_b64:
        message.mixed_subtype = "related"
        image = MIMEImage(base64.b64decode(logo_png_b64), _subtype="png")
        image.add_header("Content-ID", "<logo>")
        image.add_header("Content-Disposition", "inline", filename="logo.png")
        message.attach(image)
    message.send()


def email_branded(*, subject: str, body: str) -> tuple[str | None, str | None]:
    """The HTML part of a plain-text e-mail in the tenant's published brand (logo, name, colours,
    contacts), and the logo to send inside it; (None, None) on the platform host, where there is
    no tenant brand and the e-mail stays plain text. The text is escaped, never trusted."""
    brand = branding.current(published_only=True)
    if brand is None:
        return None, None
    logo = brand.logo_bytes()
    html = render_to_string("notifications/email/branded.html", {
        "brand": brand, "subject": subject, "paragraphs": [part for part in body.strip().split("\n\n") if part.strip()],
        "has_logo": bool(logo),
    })
    return html, base64.b64encode(logo).decode() if logo else None


def email_queue(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send after the surrounding transaction commits, through the worker. Inside a tenant,
    a plain-text e-mail gains an HTML part in the tenant's brand (the text stays the
    alternative for clients that show no HTML).

    When the broker cannot be reached the e-mail is sent in this process instead, so that
    an invitation is never lost with a Redis outage.
    """
    logo = None
    if html is None:
        html, logo = email_branded(subject=subject, body=body)

    def enqueue():
        from notifications.tasks import send_email  # tasks imports this module: a cycle

        kwargs = {"to": to, "subject": subject, "body": body, "html": html, "logo_png_b64": logo}
        try:
            send_email.apply_async(kwargs=kwargs, retry=False)
        except Exception as error:  # kombu raises several kinds for an unreachable broker
            logger.warning("Broker unreachable (%s); sending the e-mail to %s in-process.", error, to)
            email_send(**kwargs)

    transaction.on_commit(enqueue)


def sms_queue(*, mobile: str, text: str, purpose: str, expires_at=None, send_now: bool = False) -> SmsMessage:
    """Put a text message in the current schema's outbox, in the caller's transaction; it
    leaves once that commits. With the broker down the row stays queued and the sweep
    (`sms_requeue`) sends it later, so a message is never lost.

    `expires_at`: a one-time code's end of life; the outbox never sends it after that.
    `send_now`: someone is waiting for it (a one-time code), so right after commit this
    process makes the first attempt itself, and the page can say it was sent only when it
    was; a failure goes to the worker's retries. Read the row's status afterwards."""
    message = SmsMessage.objects.create(mobile=clean_mobile(mobile), text=text, purpose=purpose, expires_at=expires_at)
    # The connection may be on another schema by commit time: the task gets this one.
    schema_name = connection.schema_name
    if send_now:
        transaction.on_commit(lambda: _sms_send_now(message_id=message.pk, schema_name=schema_name))
    else:
        transaction.on_commit(lambda: _sms_dispatch(message_id=message.pk, schema_name=schema_name))
    return message


def _sms_send_now(*, message_id: int, schema_name: str) -> None:
    from notifications.tasks import sms_send_task  # tasks imports this module: a cycle

    with schema_context(schema_name):
        outcome = sms_send(message_id=message_id, last_attempt=False)
    # In-process tasks would only try again at once; the sweep does that later instead.
    if outcome == "retry" and not sms_send_task.app.conf.task_always_eager:
        _sms_dispatch(message_id=message_id, schema_name=schema_name)


def _sms_dispatch(*, message_id: int, schema_name: str, single_attempt: bool = False) -> None:
    from notifications.tasks import sms_send_task  # tasks imports this module: a cycle

    try:
        sms_send_task.apply_async(
            kwargs={"message_id": message_id, "single_attempt": single_attempt},
            headers={"_schema_name": schema_name},
            retry=False,
        )
    except Exception as error:  # kombu raises several kinds for an unreachable broker
        logger.warning("Could not queue SMS %s in %s (%s); it stays queued for the sweep.", message_id, schema_name, error)


def sms_send(*, message_id: int, last_attempt: bool) -> str:
    """One attempt at sending (what the worker runs). Returns the message's status, or
    "retry" when another attempt is worth it. The row is locked so that a retry and the sweep
    never send the same message twice; a code past its end of life is marked expired and
    never reaches the gateway. A citizen reads a request's messages in the order they were
    written (the receipt before the answer and the survey), so the earlier ones still waiting
    for the same number go first, and this one waits while one of them cannot go."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "busy"
        if message.status in (SmsMessage.Status.SENT, SmsMessage.Status.DELIVERED, SmsMessage.Status.EXPIRED):
            return message.status
        for earlier in _sms_waiting_before(message):
            if _sms_attempt(earlier, last_attempt=last_attempt) != SmsMessage.Status.SENT and not earlier.permanent_failure:
                logger.warning("SMS %s waits for SMS %s to the same number.", message.pk, earlier.pk)
                return message.status if last_attempt else "retry"
        outcome = _sms_attempt(message, last_attempt=last_attempt)
        return outcome


def _sms_waiting_before(message: SmsMessage) -> list[SmsMessage]:
    """The messages written before `message` to the same number that may still go out, oldest
    first, locked (waiting for a sender that holds one: each waits only for older ones, so two
    never wait for each other). One-time codes are urgent and short-lived: they neither wait
    nor are waited for."""
    if message.expires_at is not None:
        return []
    earlier = (
        SmsMessage.objects.select_for_update()
        .filter(mobile=message.mobile, expires_at__isnull=True, permanent_failure=False,
                status__in=(SmsMessage.Status.QUEUED, SmsMessage.Status.FAILED),
                created_at__gte=timezone.now() - timedelta(hours=settings.SMS_REQUEUE_MAX_AGE_HOURS))
        .filter(Q(created_at__lt=message.created_at) | Q(created_at=message.created_at, pk__lt=message.pk))
        .order_by("created_at", "pk")
    )
    # Locked, then read again: one that another sender sent meanwhile is not sent twice.
    return [row for row in earlier if row.status in (SmsMessage.Status.QUEUED, SmsMessage.Status.FAILED)]


def _sms_attempt(message: SmsMessage, *, last_attempt: bool) -> str:
    """One attempt on the gateway for a locked row: its new status, or "retry"."""
    if message.expires_at and timezone.now() >= message.expires_at:
        message.status = SmsMessage.Status.EXPIRED
        message.save(update_fields=["status"])
        logger.warning("SMS %s (%s) expired in the outbox; not sent.", message.pk, message.purpose)
        return message.status
    message.attempts += 1
    try:
        gateway = sms_gateway()
        message.gateway = gateway.name
        accepted = gateway.send(mobile=message.mobile, text=message.text, reference=sms_reference(message))
    except SmsGatewayError as error:
        message.last_error = str(error)[:300]
        message.permanent_failure = error.permanent
        give_up = last_attempt or error.permanent
        message.status = SmsMessage.Status.FAILED if give_up else SmsMessage.Status.QUEUED
        message.save(update_fields=["attempts", "last_error", "permanent_failure", "status", "gateway"])
        logger.warning("SMS %s not sent (attempt %s): %s", message.pk, message.attempts, message.last_error)
        return message.status if give_up else "retry"
    message.status, message.sent_at, message.last_error = SmsMessage.Status.SENT, timezone.now(), ""
    message.provider_message_id = accepted.provider_message_id
    message.save(update_fields=["attempts", "status", "sent_at", "last_error", "provider_message_id", "gateway"])
    return message.status


def sms_reference(message: SmsMessage) -> str:
    """The message's id at the gateway, the same on every attempt and unique across tenants
    (one Kavenegar account serves them all): a number made from the schema and the row's id."""
    digest = hashlib.sha256(f"{connection.schema_name}:{message.pk}".encode()).hexdigest()
    return str(int(digest[:15], 16))


def sms_expire(*, message_ids) -> int:
    """Messages whose content is dead (a one-time code replaced by a newer one) are not sent
    any more, unless already out. Returns how many were stopped."""
    return SmsMessage.objects.filter(
        pk__in=message_ids, status__in=(SmsMessage.Status.QUEUED, SmsMessage.Status.FAILED)
    ).update(status=SmsMessage.Status.EXPIRED)


def sms_requeue(*, now=None) -> int:
    """The sweep (beat, every few minutes, per tenant): messages that a broker outage left
    queued, or that used up their retries while the gateway was down, get one more attempt
    each time, for SMS_REQUEUE_MAX_AGE_HOURS; older ones are no use to the citizen any more.
    Codes past their end of life are marked expired instead; living codes are swept after
    SMS_REQUEUE_CODE_GRACE_SECONDS, not the others' grace, which would outlast them (a sweep
    beside a retry is harmless: `sms_send` locks the row and never sends twice). Returns how
    many were queued."""
    now = now or timezone.now()
    waiting = SmsMessage.objects.filter(status__in=(SmsMessage.Status.QUEUED, SmsMessage.Status.FAILED))
    waiting.filter(expires_at__lte=now).update(status=SmsMessage.Status.EXPIRED)
    old_enough = (
        Q(expires_at__isnull=True, created_at__lte=now - timedelta(seconds=settings.SMS_REQUEUE_GRACE_SECONDS))
        | Q(expires_at__gt=now, created_at__lte=now - timedelta(seconds=settings.SMS_REQUEUE_CODE_GRACE_SECONDS))
    )
    pending = waiting.filter(
        old_enough,
        permanent_failure=False,
        created_at__gte=now - timedelta(hours=settings.SMS_REQUEUE_MAX_AGE_HOURS),
    ).order_by("created_at", "pk").values_list("pk", flat=True)  # oldest first: in the order they were written
    ids = list(pending)
    for message_id in ids:
        _sms_dispatch(message_id=message_id, schema_name=connection.schema_name, single_attempt=True)
    return len(ids)


@transaction.atomic
def staff_notice_send(*, kind: str, payload: dict, dedupe_key: str, recipient_ids: list[int]) -> int:
    """Leave a notice for each of `recipient_ids` (the caller chooses them: notifications does
    not know staff roles); a second call with the same key adds nothing. Returns how many
    staff were addressed."""
    StaffNotice.objects.bulk_create(
        [StaffNotice(recipient_id=pk, kind=kind, payload=payload, dedupe_key=dedupe_key) for pk in recipient_ids],
        ignore_conflicts=True,
    )
    return len(recipient_ids)


@transaction.atomic
def staff_notice_mark_read(*, notice, user) -> None:
    """A notice leaves the staff home once its recipient has read it."""
    if notice.recipient_id != user.pk:
        raise PermissionError("Only the recipient marks a notice read.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
