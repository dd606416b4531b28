"""Tenants (municipalities and dehyaris), their domains and the provinces (public schema)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from lib.audit import AuditEntry
from lib.hosts import host_url
from lib.identifiers import clean_legal_national_id

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$",
    _("نشانی کوتاه باید ۳ تا ۴۰ حرف کوچک لاتین، رقم یا خط تیره باشد و با حرف آغاز شود."),
)
# Subdomains the platform keeps for itself.
RESERVED_SLUGS = frozenset(
    {"www", "admin", "api", "static", "media", "mail", "smtp", "public", "console", "app", "tmpl-mizban"}
)


class Province(models.Model):
    """One of Iran's 31 provinces (استان), seeded by a migration."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("نام استان"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")

    def __str__(self) -> str:
        return self.name


class Tenant(TenantMixin):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("شهرداری")
        DEHYARI = "dehyari", _("دهیاری")

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("در حال راه‌اندازی")
        TRIAL = "trial", _("دوره آزمایشی")
        ACTIVE = "active", _("فعال")
        PAST_DUE = "past_due", _("بدهی معوق")
        SUSPENDED = "suspended", _("تعلیق‌شده")
        CLOSED = "closed", _("بسته‌شده")

    # Portals answer for these; SUSPENDED and CLOSED get a notice instead.
    SERVING_STATUSES = (Status.TRIAL, Status.ACTIVE, Status.PAST_DUE)

    slug = models.SlugField(_("نشانی کوتاه"), max_length=40, unique=True, validators=[SLUG_VALIDATOR])
    name = models.CharField(_("نام"), max_length=200)
    kind = models.CharField(_("نوع"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="tenants", verbose_name=_("استان"))
    county = models.CharField(_("شهرستان"), max_length=100, blank=True)
    national_id = models.CharField(
        _("شناسه ملی"), max_length=11, unique=True, null=True, blank=True, validators=[clean_legal_national_id]
    )
    address = models.TextField(_("نشانی"), blank=True)
    phone = models.CharField(_("تلفن"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("دستگاه بالادست")
    )
    status = models.CharField(_("وضعیت"), max_length=20, choices=Status.choices, default=Status.PROVISIONING)
    trial_ends_at = models.DateTimeField(_("پایان دوره آزمایشی"), null=True, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان تغییر"), auto_now=True)

    # Schemas are copied from the template in tenants/provisioning.py, never migrated in save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("مشترک")
        verbose_name_plural = _("مشترکان")
        # name: the console and the directory list tenants a page at a time in name order.
        indexes = [models.Index(fields=["province", "kind"]), models.Index(fields=["status"]), models.Index(fields=["name"], name="tenants_tenant_name"),
                   # A province's tenants a page at a time in name order (/insights/ for its supervisor).
                   models.Index(fields=["province", "name"], name="tenants_tenant_province_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_serving(self) -> bool:
        return self.status in self.SERVING_STATUSES

    @property
    def subdomain(self) -> str:
        return f"{self.slug}.{settings.PLATFORM_DOMAIN}"

    @property
    def portal_url(self) -> str:
        return host_url(self.subdomain)


class Domain(DomainMixin):
    """A host a tenant answers on: its platform subdomain, or a custom domain the vendor adds."""

    is_custom = models.BooleanField(_("دامنه اختصاصی"), default=False)
    is_verified = models.BooleanField(_("تأییدشده"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("دامنه")
        verbose_name_plural = _("دامنه‌ها")


class TemplateSchema(models.Model):
    """The DDL and seed rows of the tenant template schema, for one state of the migrations."""

    fingerprint = models.CharField(max_length=64, unique=True)
    ddl = models.TextField()
    seed_sql = models.TextField(blank=True)
    table_count = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(auto_now_add=True)


class SpareSchema(models.Model):
    """A ready copy of the template schema, waiting to become a new tenant's (tenants/spares.py).

    Made in the background; onboarding renames one instead of replaying the DDL. Holds no
    tenant's data. `fingerprint` is the template it was copied from: a spare of an older
    template is never used, and is dropped when the template is rebuilt.
    """

    name = models.CharField(max_length=63, unique=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class TenantEvent(AuditEntry):
    """The tenant's lifecycle log: who changed what, when (vendor console and billing)."""

    class Action(models.TextChoices):
        ONBOARDED = "onboarded", _("راه‌اندازی شد")
        SUSPEND = "suspend", _("تعلیق شد")
        REACTIVATE = "reactivate", _("دوباره فعال شد")
        CLOSE = "close", _("بسته شد")
        BILLING = "billing", _("وضعیت با پرداخت تغییر کرد")
        DOMAIN_ADDED = "domain_added", _("دامنه اختصاصی افزوده شد")
        DOMAIN_VERIFIED = "domain_verified", _("دامنه اختصاصی تأیید شد")
        MOVED = "moved", _("به گره دیگری از خوشه منتقل شد")

    audit_kind = "tenant"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    # The status move as the snapshots {% audit_changes "tenant" %} reads.
    @property
    def before(self) -> dict | None:
        return {"status": self.from_status} if self.from_status else None

    @property
    def after(self) -> dict | None:
        return {"status": self.to_status} if self.to_status else None


class TrackingCode(models.Model):
    """Every tracking code of every tenant, so that codes are unique across the platform and
    the platform's home page can send a citizen to the tenant that issued one."""

    code = models.CharField(max_length=16, unique=True)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="tracking_codes")
    created_at = models.DateTimeField(auto_now_add=True)


class SchemaMigrationState(models.Model):
    """The migrations a schema had when `migrate_tenants` last finished it: the md5 of its
    `django_migrations` (app.name, sorted). Read with every schema's own table in one query,
    so a deploy with nothing to do costs one query, not a migration graph per tenant."""

    schema_name = models.CharField(max_length=63, unique=True)
    fingerprint = models.CharField(max_length=32)
    migrated_at = models.DateTimeField()


class MigrationCapture(models.Model):
    """What one migration did to the template: the SQL replayed on every tenant schema
    (`replay`), or `executor` when it must run through Django's migrations per schema
    (RunPython, or anything that is not plain SQL)."""

    class Path(models.TextChoices):
        REPLAY = "replay", _("بازپخش SQL")
        EXECUTOR = "executor", _("اجرای جنگو برای هر طرح")

    app_label = models.CharField(max_length=100)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=10, choices=Path.choices)
    reason = models.CharField(max_length=200, blank=True)
    statements = models.JSONField(default=list)
    captured_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app_label", "name"], name="tenants_migrationcapture_unique")]


class MigrationRun(models.Model):
    """One run of `migrate_tenants`, for the vendor console."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("در حال اجرا")
        SUCCEEDED = "succeeded", _("موفق")
        FAILED = "failed", _("ناموفق")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    jobs = models.PositiveSmallIntegerField(default=1)
    schemas_total = models.PositiveIntegerField(default=0)
    schemas_current = models.PositiveIntegerField(default=0)
    schemas_migrated = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list)  # [{"schema": ..., "error": ...}]
    paths = models.JSONField(default=list)  # [{"migration": "app.name", "path": "replay"|"executor", "reason": ...}]

    class Meta:
        ordering = ["-started_at", "-id"]
