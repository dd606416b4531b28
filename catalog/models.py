"""A tenant's units and service cards (شناسنامه خدمت), in the tenant's schema.

A card links to a national service of the registry mirror by its ID; it holds every field of
Table 1 of seed 003 and of the full card. Lists (fees, laws, FAQ, forms, workflow stages) are
models of their own so that the portal, the XLSX workbook and the request workflow share them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.audit import AuditChange
from lib.identifiers import clean_sheba
from lib.persian import to_persian_digits

NATIONAL_ID_VALIDATOR = RegexValidator(r"^\d{10,11}$", _("شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد."))


def http_href(url: str) -> str:
    """The URL if a page may link to it (http or https), else "". The forms refuse other
    schemes; this also keeps out a javascript: URL stored before they did. urlsplit drops
    the tabs and leading control characters that browsers ignore in a scheme, as they do."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else ""


def natural_order(field: str) -> list:
    """Ordering that reads like a person sorts: «منطقه 2» before «منطقه 10». The text before
    the first number, then that number as a number (Persian digits count too), then the text."""
    digits = models.Func(models.F(field), models.Value("۰۱۲۳۴۵۶۷۸۹"), models.Value("0123456789"), function="translate")
    before_number = models.Func(digits, models.Value("[0-9].*$"), models.Value(""), function="regexp_replace")
    number = models.Func(models.Func(digits, models.Value("[0-9]+"), function="substring"),
                         template="CAST(%(expressions)s AS numeric)", output_field=models.DecimalField())
    return [before_number.asc(), number.asc(nulls_first=True), models.F(field).asc()]


class UnitManager(models.Manager):
    """Units in the order a person expects, wherever they are listed (portal, staff lists,
    select boxes, a service's units). A manager rather than Meta.ordering: the same order
    without a migration to run in every tenant's schema."""

    def get_queryset(self):
        return super().get_queryset().order_by("order", *natural_order("name"))


class Unit(models.Model):
    """An organizational unit (واحد سازمانی): the headquarters, a district, an office."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("ستاد")
        DISTRICT = "district", _("منطقه")
        OFFICE = "office", _("اداره")
        BRANCH = "branch", _("شعبه")

    name = models.CharField(_("نام واحد"), max_length=200)
    kind = models.CharField(_("نوع واحد"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    # No index (README, "Relations per tenant"): a tenant's units are a few dozen rows, read whole.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("واحد بالادست"), db_index=False)
    address = models.CharField(_("نشانی"), max_length=500, blank=True)  # bounded: no TOAST table (README, "Relations per tenant")
    phone = models.CharField(_("تلفن"), max_length=30, blank=True)
    hours = models.CharField(_("ساعات کار"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    objects = UnitManager()

    class Meta:
        ordering = ["order", "name"]  # UnitManager refines it: «منطقه 2» before «منطقه 10»
        verbose_name = _("واحد سازمانی")
        verbose_name_plural = _("واحدهای سازمانی")

    def __str__(self) -> str:
        # Select boxes and lists show it; names are stored with ASCII digits (normalize_text).
        return to_persian_digits(self.name)

    @property
    def is_headquarters(self) -> bool:
        return self.kind == self.Kind.HEADQUARTERS


def service_title(approved_title: str, common_name: str) -> str:
    """The approved title, with the common short name in parentheses (seed 003)."""
    return f"{approved_title} ({common_name})" if common_name else approved_title


class Service(models.Model):
    """A service card (شناسنامه خدمت) of this tenant for one national service."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("پیش‌نویس")
        PUBLISHED = "published", _("منتشرشده")
        UNPUBLISHED = "unpublished", _("خارج از انتشار")

    class Level(models.TextChoices):
        HEADQUARTERS = "headquarters", _("ستاد")
        REGION = "region", _("منطقه")
        PROVINCE = "province", _("استان")
        COUNTY = "county", _("شهرستان")
        DISTRICT = "district", _("بخش")
        VILLAGE = "village", _("روستا")

    TYPES = {"G2C": _("به شهروندان"), "G2B": _("به کسب و کار"), "G2G": _("به دستگاه‌های دولتی")}

    national_id = models.CharField(_("شناسه خدمت"), max_length=11, unique=True, validators=[NATIONAL_ID_VALIDATOR])
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("خدمت مادر"))
    approved_title = models.CharField(_("عنوان مصوب"), max_length=300)
    common_name = models.CharField(_("نام رایج"), max_length=200, blank=True)
    service_types = models.JSONField(_("نوع خدمت"), default=list, blank=True)
    description = models.TextField(_("شرح خدمت"), blank=True)
    eligibility = models.TextField(_("شرایط درخواست"), blank=True)
    required_documents = models.TextField(_("مدارک مورد نیاز"), blank=True, help_text=_("هر مدرک در یک سطر"))
    average_days = models.PositiveSmallIntegerField(_("متوسط مدت زمان ارائه خدمت (روز کاری)"), null=True, blank=True)
    is_instant = models.BooleanField(_("خدمت آنی است"), default=False)
    service_hours = models.CharField(_("ساعات ارائه خدمت"), max_length=200, blank=True)
    visits_count = models.PositiveSmallIntegerField(_("تعداد بار مراجعه حضوری"), default=0)
    visits_place = models.CharField(_("محل مراجعه حضوری"), max_length=300, blank=True)
    visits_reason = models.CharField(_("علت مراجعه حضوری"), max_length=300, blank=True)
    service_level = models.CharField(_("سطح ارائه خدمت"), max_length=20, choices=Level.choices, blank=True)
    # Channels (نحوه دسترسی)
    web_url = models.URLField(_("نشانی درخواست در وب"), blank=True)
    app_url = models.URLField(_("نشانی دریافت برنامه همراه"), blank=True)
    channel_email = models.EmailField(_("پست الکترونیک"), blank=True)
    ivr_number = models.CharField(_("شماره مرکز تماس"), max_length=20, blank=True)
    sms_code = models.CharField(_("سرشماره پیامک"), max_length=20, blank=True)
    counter_offices = models.TextField(_("دفاتر پیشخوان یا پست (نشانی‌ها)"), blank=True)
    online_request = models.BooleanField(_("درخواست برخط در همین درگاه"), default=True)
    # Inquiries and permits
    inquiries = models.TextField(_("استعلام‌ها از دستگاه‌های دیگر"), blank=True, help_text=_("هر دستگاه در یک سطر"))
    ends_in_permit = models.BooleanField(_("خدمت به صدور مجوز می‌انجامد"), default=False)
    # The rest of the full card
    responsible_name = models.CharField(_("نام مسئول خدمت"), max_length=150, blank=True)
    responsible_position = models.CharField(_("سمت مسئول خدمت"), max_length=150, blank=True)
    responsible_phone = models.CharField(_("تلفن مسئول خدمت"), max_length=30, blank=True)
    complete_guide = models.TextField(_("راهنمای کامل"), blank=True)
    attachment_max_files = models.PositiveSmallIntegerField(_("بیشترین شمار پیوست"), default=2)
    attachment_max_kb = models.PositiveIntegerField(_("بیشترین اندازه هر پیوست (کیلوبایت)"), default=800, validators=[MinValueValidator(10)])
    attachment_types = models.CharField(_("گونه‌های مجاز پیوست"), max_length=100, default="pdf,jpg,jpeg,png")
    bpmn_external = models.TextField(_("فرآیند بیرونی (BPMN 2.0)"), blank=True)
    bpmn_internal = models.TextField(_("فرآیند درونی (BPMN 2.0)"), blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="services", verbose_name=_("واحدهای ارائه‌دهنده"))
    # Publishing
    status = models.CharField(_("وضعیت"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(_("علت وضعیت"), blank=True)
    registry_status = models.CharField(_("وضعیت در سامانه ملی"), max_length=20, default="approved")
    order = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["national_id"]
        verbose_name = _("شناسنامه خدمت")
        verbose_name_plural = _("شناسنامه‌های خدمت")

    def __str__(self) -> str:
        # Select boxes show it: Persian digits, as everywhere a citizen reads.
        return to_persian_digits(f"{self.national_id} {self.title}")

    @property
    def title(self) -> str:
        return service_title(self.approved_title, self.common_name)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def type_labels(self) -> list[str]:
        return [str(self.TYPES[t]) for t in self.service_types if t in self.TYPES]

    def document_lines(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    def inquiry_lines(self) -> list[str]:
        return [line.strip() for line in self.inquiries.splitlines() if line.strip()]

    @property
    def web_href(self) -> str:
        return http_href(self.web_url)

    def channels(self) -> list[tuple[str, str, str]]:
        """(code, Persian label, value) of each channel this service is offered on."""
        found = []
        if self.online_request:
            found.append(("web", "درگاه اینترنتی", self.web_url))
        elif self.web_url:
            found.append(("web", "درگاه اینترنتی", self.web_url))
        for code, label, value in (
            ("app", "برنامه همراه", self.app_url), ("email", "پست الکترونیک", self.channel_email),
            ("ivr", "مرکز تماس", self.ivr_number), ("sms", "پیامک", self.sms_code),
            ("counter", "دفاتر پیشخوان و پست", self.counter_offices),
        ):
            if value:
                found.append((code, label, value))
        return found


class FeeDue(models.TextChoices):
    """When the citizen pays a fee online: in the wizard, or once staff have reviewed the request and ask for it."""

    SUBMIT = "submit", _("هنگام ثبت درخواست")
    REVIEW = "review", _("پس از بررسی، به درخواست کارشناس")


class Fee(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fees")
    title = models.CharField(_("بابت"), max_length=200)
    amount_rial = models.PositiveBigIntegerField(_("مبلغ (ریال)"))
    sheba = models.CharField(_("شماره شبا"), max_length=26, validators=[clean_sheba])
    bank = models.CharField(_("بانک"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    due = models.CharField(_("زمان پرداخت"), max_length=10, choices=FeeDue.choices, default=FeeDue.SUBMIT)

    class Meta:
        ordering = ["order", "id"]


class FeeChange(models.Model):
    """A new fee, or a new amount or account for one, waiting for a second admin (seed 003: fee
    changes are approved by the responsible manager). The fee in force stays as it is until then."""

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار تایید")
        APPROVED = "approved", _("تایید و اجرا شد")
        REJECTED = "rejected", _("رد شد")

    # No index on either key: a few rows a service, read (and deleted with a fee) whole.
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fee_changes", db_index=False)
    fee = models.ForeignKey(Fee, on_delete=models.CASCADE, null=True, blank=True, related_name="changes", db_index=False)  # none: a new fee
    title = models.CharField(_("بابت"), max_length=200)
    amount_rial = models.PositiveBigIntegerField(_("مبلغ (ریال)"))
    sheba = models.CharField(_("شماره شبا"), max_length=26, validators=[clean_sheba])
    bank = models.CharField(_("بانک"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    due = models.CharField(max_length=10, choices=FeeDue.choices, default=FeeDue.SUBMIT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.CharField(max_length=254)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]


class Law(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="laws")
    title = models.CharField(_("عنوان قانون یا مقرره"), max_length=300)
    url = models.URLField(_("پیوند"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    @property
    def href(self) -> str:
        return http_href(self.url)


class Faq(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("پرسش"), max_length=500)
    answer = models.TextField(_("پاسخ"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class FormFile(models.Model):
    """A form the applicant fills in (فرم‌ها), as a file."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="forms")
    title = models.CharField(_("عنوان فرم"), max_length=200)
    file = models.FileField(_("پرونده"), upload_to="catalog/forms/")


class WorkflowStage(models.Model):
    """A stage of the service's workflow, as the citizen will see it when tracking."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="stages", db_index=False)  # catalog_stage_order_unique leads with it
    order = models.PositiveSmallIntegerField(_("ترتیب"))
    name = models.CharField(_("نام مرحله"), max_length=200)
    target_days = models.PositiveSmallIntegerField(_("مدت هدف (روز کاری)"), default=1)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="stages", verbose_name=_("واحد انجام‌دهنده"), db_index=False)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="catalog_stage_order_unique")]


class CardAudit(AuditChange):
    """Who changed a service card or its workflow, when, and from what to what."""

    class Action(models.TextChoices):
        ADDED = "added", _("از فهرست ملی افزوده شد")
        EDITED = "edited", _("ویرایش شد")
        PUBLISHED = "published", _("منتشر شد")
        UNPUBLISHED = "unpublished", _("از انتشار خارج شد")
        TITLE_CHANGED = "title_changed", _("عنوان مصوب در سامانه ملی تغییر کرد")
        BPMN_GENERATED = "bpmn_generated", _("نمودار فرایند ساخته شد")
        IMPORTED = "imported", _("از کارپوشه XLSX وارد شد")
        QUESTIONNAIRE = "questionnaire", _("پرسش‌نامه نظرسنجی تغییر کرد")
        UNIT_ADDED = "unit_added", _("واحد سازمانی افزوده شد")
        UNIT_EDITED = "unit_edited", _("واحد سازمانی ویرایش شد")
        FEE_PROPOSED = "fee_proposed", _("تغییر هزینه پیشنهاد شد")
        FEE_APPROVED = "fee_approved", _("تغییر هزینه تایید و اجرا شد")
        FEE_REJECTED = "fee_rejected", _("تغییر هزینه رد شد")

    audit_kind = "card"

    # No index: the audit is read newest first, never by service; only a service's deletion
    # (which nothing here does but Django admin) looks rows up by it.
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, related_name="audits", db_index=False)
    national_id = models.CharField(max_length=11)
    action = models.CharField(max_length=40, choices=Action.choices)


class StaffMembership(models.Model):
    """The unit a staff user works in: a unit manager reaches it and its sub-units, a clerk
    the requests of that unit (and those assigned to them)."""

    # The user is the key: one membership a user, and no id and second unique index beside it.
    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="membership", verbose_name=_("کاربر"),
                                primary_key=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("واحد سازمانی"), db_index=False)

    class Meta:
        verbose_name = _("عضویت کارکنان در واحد")
        verbose_name_plural = _("عضویت کارکنان در واحدها")

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"
