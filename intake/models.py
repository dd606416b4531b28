"""Citizens' requests (tenant schema): the wizard's drafts, the requests, their files and events,
and the desk's working calendar."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.persian import to_persian_digits


class DeskSettings(models.Model):
    """The service desk's own calendar rules (one row per tenant)."""

    thursday_is_working = models.BooleanField(_("پنجشنبه روز کاری است"), default=False)

    class Meta:
        verbose_name = _("تنظیمات میز خدمت")


class ClosureDay(models.Model):
    """A day this tenant is closed beyond the official holidays."""

    date = models.DateField(_("تاریخ"), primary_key=True)  # one row a day: the key, no id beside it
    reason = models.CharField(_("علت"), max_length=200)

    class Meta:
        ordering = ["date"]


class WizardDraft(models.Model):
    """What a citizen has entered so far; its token makes the final submit idempotent."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The API's Idempotency-Key is this token; it replays only to the client that first used it,
    # whose fingerprint this is (intake/citizen/submissions.py). Empty for the web wizard's own
    # drafts, which the API never answers for.
    client_key = models.CharField(max_length=64, blank=True, default="")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="drafts", db_index=False)  # drafts are found by token
    data = models.JSONField(default=dict)
    channel = models.CharField(max_length=20, default="online")
    assisted_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


def _upload_path(instance, filename: str) -> str:
    # The citizen's file name is never used on disk (it may hold anything); the extension is
    # the one its content proved.
    return f"requests/{uuid.uuid4().hex}{instance.extension}"


class DraftFile(models.Model):
    draft = models.ForeignKey(WizardDraft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_upload_path)
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class ServiceRequest(models.Model):
    """A citizen's request for one service (named apart from Django's `request`, the HTTP one)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("برخط")
        IN_PERSON = "in_person", _("حضوری")
        ASSISTED = "assisted", _("با کمک متصدی")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("ثبت‌شده")
        IN_PROGRESS = "in_progress", _("در حال رسیدگی")
        WAITING_CITIZEN = "waiting_citizen", _("در انتظار پاسخ متقاضی")
        ANSWERED = "answered", _("پاسخ داده شد")
        REJECTED = "rejected", _("رد شد")

    class ApplicantKind(models.TextChoices):
        NATURAL = "natural", _("شخص حقیقی")
        LEGAL = "legal", _("شخص حقوقی")

    tracking_code = models.CharField(_("کد رهگیری"), max_length=16, unique=True)
    wizard_token = models.UUIDField(unique=True)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="requests")
    text = models.TextField(_("متن درخواست"))
    extra = models.JSONField(default=dict, blank=True)
    applicant_kind = models.CharField(max_length=10, choices=ApplicantKind.choices, default=ApplicantKind.NATURAL)
    national_code = models.CharField(_("کد ملی"), max_length=10, db_index=True)
    first_name = models.CharField(_("نام"), max_length=100)
    last_name = models.CharField(_("نام خانوادگی"), max_length=100)
    mobile = models.CharField(_("تلفن همراه"), max_length=11, db_index=True)
    landline = models.CharField(_("تلفن ثابت"), max_length=20, blank=True)
    email = models.EmailField(_("پست الکترونیک"), blank=True)
    address = models.TextField(_("نشانی"), blank=True)
    company_national_id = models.CharField(_("شناسه ملی شرکت"), max_length=11, blank=True)
    company_name = models.CharField(_("نام شرکت"), max_length=200, blank=True)
    visit = models.JSONField(_("مراجعه به سازمان"), default=dict, blank=True)
    channel = models.CharField(_("مجرای ثبت"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    assisted_by = models.CharField(max_length=254, blank=True)
    # At the in-person desk: when the operator recorded the citizen's consent (رضایت متقاضی).
    applicant_consent_at = models.DateTimeField(_("رضایت متقاضی"), null=True, blank=True)
    # An objection (اعتراض) to a rejection is a new request of its own, linked to the one it contests.
    objection_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="objections",
                                     verbose_name=_("اعتراض به درخواست"))
    status = models.CharField(_("وضعیت"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # Not indexed: only deleting a stage looks requests up by it (README, "Relations per tenant").
    current_stage = models.ForeignKey("catalog.WorkflowStage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False)
    promised_date = models.DateField(_("تاریخ وعده پاسخ"))
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    stage_due_date = models.DateField(_("مهلت مرحله کنونی"), null=True, blank=True)
    waiting_since = models.DateField(_("در انتظار متقاضی از"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("روزهای کاری توقف ساعت خدمت"), default=0)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_requests", verbose_name=_("کارشناس مسئول"))
    sms_message_id = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "intake_request"  # the table keeps the name it had when the model was called Request
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "promised_date"]), models.Index(fields=["submitted_at"], name="intake_request_submitted")]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def applicant_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Attachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="requests/")
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()


class RequestEvent(models.Model):
    """A step in the request's life; the citizen sees those marked visible when tracking.

    Its title is rendered when shown, from its kind and `data` (see event_title), so that a
    row keeps facts, not words. Rows written before that keep their words in `stored_title`
    when their kind and data cannot give them back."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("ثبت درخواست")
        OBJECTION_SUBMITTED = "objection_submitted", _("ثبت اعتراض")
        ASSIGNED = "assigned", _("ارجاع به کارشناس")
        ACCEPTED = "accepted", _("پذیرش درخواست")
        MOVED = "moved", _("ورود به مرحله")
        NOTE = "note", _("یادداشت درونی")
        ASKED = "asked", _("درخواست مدارک یا اطلاعات")
        CITIZEN_ANSWERED = "citizen_answered", _("پاسخ متقاضی")
        INQUIRY_SENT = "inquiry_sent", _("استعلام")
        INQUIRY_REPLIED = "inquiry_replied", _("پاسخ استعلام")
        ANSWERED = "answered", _("صدور پاسخ")
        OBJECTION = "objection", _("اعتراض متقاضی")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What the title names: {"number": letter number}, {"code": tracking code}, {"body": inquired body}, {"stage": stage name}.
    data = models.JSONField(default=dict, blank=True)
    stored_title = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    visible_to_citizen = models.BooleanField(default=True)
    actor = models.CharField(max_length=254, blank=True)
    from_stage = models.CharField(_("از مرحله"), max_length=200, blank=True)
    to_stage = models.CharField(_("به مرحله"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def title(self) -> str:
        return event_title(kind=self.kind, data=self.data, stored_title=self.stored_title)

    @title.setter
    def title(self, words: str) -> None:
        """A title given in words (as older code and tests do) is kept as it was given."""
        self.stored_title = words


# Each kind's title; the values of the keys in _DIGIT_KEYS are shown in Persian digits.
EVENT_TITLES = {
    RequestEvent.Kind.SUBMITTED: _("ثبت درخواست"),
    RequestEvent.Kind.OBJECTION_SUBMITTED: _("ثبت اعتراض به پاسخ شماره %(number)s"),
    RequestEvent.Kind.ASSIGNED: _("ارجاع به کارشناس"),
    RequestEvent.Kind.ACCEPTED: _("پذیرش درخواست و آغاز رسیدگی"),
    RequestEvent.Kind.MOVED: _("ورود به مرحله «%(stage)s»"),
    RequestEvent.Kind.NOTE: _("یادداشت درونی"),
    RequestEvent.Kind.ASKED: _("درخواست مدارک یا اطلاعات از متقاضی"),
    RequestEvent.Kind.CITIZEN_ANSWERED: _("پاسخ متقاضی دریافت شد"),
    RequestEvent.Kind.INQUIRY_SENT: _("استعلام از %(body)s"),
    RequestEvent.Kind.INQUIRY_REPLIED: _("پاسخ استعلام از %(body)s رسید"),
    RequestEvent.Kind.ANSWERED: _("صدور پاسخ به شماره %(number)s"),
    RequestEvent.Kind.OBJECTION: _("اعتراض متقاضی با کد رهگیری %(code)s ثبت شد"),
}
_DIGIT_KEYS = {"number", "code"}


def event_title(*, kind: str, data: dict | None, stored_title: str = "") -> str:
    """An event's title in words: the words stored with an older row, else its kind's title
    filled from its data (a kind or datum this code does not know gives the kind as it is)."""
    if stored_title:
        return stored_title
    template = EVENT_TITLES.get(kind)
    if template is None:
        return kind
    values = {key: to_persian_digits(value) if key in _DIGIT_KEYS else value for key, value in (data or {}).items()}
    try:
        return str(template) % values
    except KeyError:
        return kind


class LateDigest(models.Model):
    """One e-mail a day to a unit manager about the late stages in their units."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)  # the unique (manager, day) leads with it
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["manager", "day"], name="intake_late_digest_once")]


class RequestMessage(models.Model):
    """The thread between the desk and the citizen about one request."""

    class Sender(models.TextChoices):
        STAFF = "staff", _("میز خدمت")
        CITIZEN = "citizen", _("متقاضی")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.CharField(max_length=254, blank=True)
    text = models.TextField(_("متن پیام"))
    files = models.ManyToManyField(Attachment, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Inquiry(models.Model):
    """An inquiry (استعلام) to another body about a request, and its reply."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="inquiries")
    body = models.CharField(_("دستگاه استعلام‌شونده"), max_length=200)
    letter_text = models.TextField(_("متن نامه"), blank=True)
    letter_file = models.FileField(_("پرونده نامه"), upload_to="inquiries/", blank=True)
    sent_on = models.DateField(_("تاریخ ارسال"))
    due_on = models.DateField(_("مهلت پاسخ"))
    replied_on = models.DateField(_("تاریخ پاسخ"), null=True, blank=True)
    reply_text = models.TextField(_("متن پاسخ"), blank=True)
    created_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["sent_on", "id"]


class LetterCounter(models.Model):
    """The last answer-letter number of one Jalali year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


def _letter_public_id() -> str:
    return secrets.token_urlsafe(18)


class AnswerLetter(models.Model):
    """The answer (پاسخ) of seed 002, issued electronically; its public id (in the QR code)
    opens the verification page, which shows the letter but not the national or tracking code."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("پذیرش درخواست")
        REJECTED = "rejected", _("رد درخواست")

    request = models.OneToOneField(ServiceRequest, on_delete=models.PROTECT, related_name="letter")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("شماره پاسخ"), max_length=20)  # "year/sequence": unique as the pair is (intake_letter_number_once)
    public_id = models.CharField(max_length=32, unique=True, default=_letter_public_id, editable=False)
    issued_on = models.DateField(_("تاریخ پاسخ"))
    applicant_name = models.CharField(_("نام و نام خانوادگی ارباب رجوع"), max_length=200)
    national_code = models.CharField(_("کد ملی"), max_length=10)
    outcome = models.CharField(_("نتیجه"), max_length=10, choices=Outcome.choices)
    legal_basis = models.TextField(_("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده"))
    content = models.TextField(_("مفاد اصلی پاسخ"))
    objection_route = models.TextField(_("اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)"), blank=True)
    # Calendar days from the letter's date; a rejection states it, and objections after it are refused.
    objection_days = models.PositiveSmallIntegerField(_("مهلت اعتراض (روز)"), null=True, blank=True)
    notes = models.TextField(_("توضیحات"), blank=True)
    attachment = models.FileField(_("پیوست پاسخ"), upload_to="letters/", blank=True)
    content_hash = models.CharField(max_length=64)
    issued_by = models.CharField(max_length=254)
    issued_at = models.DateTimeField(auto_now_add=True)

    @property
    def objection_deadline(self):
        """The last day an objection is accepted, or None when the letter sets none."""
        return self.issued_on + datetime.timedelta(days=self.objection_days) if self.objection_days is not None else None

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="intake_letter_number_once")]


class Questionnaire(models.Model):
    """A survey (نظرسنجی); the default one holds seed 002's sixteen questions in five axes."""

    title = models.CharField(_("عنوان"), max_length=200)
    is_default = models.BooleanField(default=False)
    questions = models.JSONField(default=list)  # [{"axis": "...", "text": "..."}], in order


class ServiceQuestionnaire(models.Model):
    """An admin's choice of questionnaire for one service; a service without a row uses the default."""

    service = models.OneToOneField("catalog.Service", on_delete=models.CASCADE, related_name="questionnaire_choice", primary_key=True)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="service_choices", db_index=False)  # one row per service, read whole
    chosen_by = models.CharField(max_length=254, blank=True)
    chosen_at = models.DateTimeField(auto_now=True)


class Survey(models.Model):
    """One survey per request: its link token, when the invitation went out, and the answers."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="survey")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, db_index=False)  # questionnaires are never deleted
    token = models.CharField(max_length=32, unique=True, default=_letter_public_id)
    invited_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(null=True, blank=True)  # one score 1..5 per question
    axis_scores = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
