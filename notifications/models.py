"""Notices for a tenant's staff, the SMS outbox and one-time codes (tenant schema).

The tables also exist in the public schema (the app is shared too); only tenant schemas
hold rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffNotice(models.Model):
    class Kind(models.TextChoices):
        REGISTRY_CHANGES = "registry_changes", _("تغییر در فهرست ملی خدمات")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", db_index=False)  # the unique (recipient, dedupe_key) leads with it
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


class SmsMessage(models.Model):
    """One text message in the outbox (tenant schema): written in the caller's transaction,
    sent by the worker, retried until it goes out or is too old to matter."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("در صف ارسال")
        SENT = "sent", _("ارسال شد")
        DELIVERED = "delivered", _("تحویل شد")
        FAILED = "failed", _("ارسال نشد")
        # Its content (a one-time code) died before it could go out: never sent.
        EXPIRED = "expired", _("منقضی شد و فرستاده نشد")

    mobile = models.CharField(_("شماره همراه"), max_length=11)
    text = models.TextField(_("متن"))
    purpose = models.CharField(_("کاربرد"), max_length=40)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("دفعات تلاش"), default=0)
    # Never holds the gateway's API key: see notifications.sms.redact.
    last_error = models.CharField(_("آخرین خطا"), max_length=300, blank=True)
    # The gateway refused the message itself (bad number, bad sender): retrying cannot help.
    permanent_failure = models.BooleanField(default=False)
    gateway = models.CharField(max_length=20, blank=True)
    provider_message_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), default=timezone.now)  # indexed after status: notifications_sms_pending
    sent_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    # A one-time code's end of life: from then on the message is marked expired, never sent.
    expires_at = models.DateTimeField(_("پایان اعتبار"), null=True, blank=True)

    @property
    def is_out(self) -> bool:
        """Handed to the gateway: the only state in which a page may say «پیامک شد»."""
        return self.status in (self.Status.SENT, self.Status.DELIVERED)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("پیامک")
        verbose_name_plural = _("پیامک‌ها")
        indexes = [models.Index(fields=["status", "created_at"], name="notifications_sms_pending")]

    def __str__(self) -> str:
        return f"{self.mobile} ({self.purpose}, {self.status})"


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS, bound to one mobile, one purpose and one subject (e.g. a
    tracking code); stored hashed, single use, short-lived, with a few attempts."""

    mobile = models.CharField(max_length=11)
    purpose = models.CharField(max_length=40)
    subject = models.CharField(max_length=100)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    # The outbox row that carries it: a code replaced by a newer one is not sent any more.
    sms_message = models.ForeignKey(SmsMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)  # messages are never deleted

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["mobile", "purpose", "subject", "created_at"], name="notifications_otp_lookup")]


class MessageTemplate(models.Model):
    """A tenant's own wording of the SMS and e-mail of one event (notifications/messages.py
    holds the events, their placeholders and the default wording)."""

    event = models.CharField(max_length=40, unique=True)
    sms = models.TextField(_("متن پیامک"))
    email_subject = models.CharField(_("موضوع پست الکترونیک"), max_length=200, blank=True)
    email_body = models.TextField(_("متن پست الکترونیک"), blank=True)
    updated_by = models.CharField(max_length=254, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
