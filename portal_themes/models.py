"""A tenant's branding (tenant schema).

`Theme` is what citizens see (one row, created when the tenant is provisioned); `ThemeDraft`
is what the admins edit and preview (one row); publishing copies the draft onto the theme and
writes a `ThemeAudit` row holding both snapshots, so a publish can be rolled back.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.audit import AuditChange

COLOR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("رنگ باید به شکل #RRGGBB باشد."), code="invalid_color")


class Branding(models.Model):
    """Every field a tenant admin sets, shared by the draft and the published theme."""

    display_name = models.CharField(_("نام نمایشی"), max_length=200)
    logo = models.ImageField(_("نشان"), upload_to="theme/", blank=True)
    favicon = models.ImageField(_("نمادک"), upload_to="theme/", blank=True)
    favicon_from_logo = models.BooleanField(default=True)
    primary_color = models.CharField(_("رنگ اصلی"), max_length=7, default="#0f5e9c", validators=[COLOR_VALIDATOR])
    accent_color = models.CharField(_("رنگ دوم"), max_length=7, default="#c8102e", validators=[COLOR_VALIDATOR])
    header_links = models.JSONField(_("پیوندهای سربرگ"), default=list, blank=True)
    footer_links = models.JSONField(_("پیوندهای پانویس"), default=list, blank=True)
    social_links = models.JSONField(_("شبکه‌های اجتماعی"), default=list, blank=True)
    address = models.CharField(_("نشانی"), max_length=300, blank=True)
    phone = models.CharField(_("تلفن"), max_length=40, blank=True)
    hours = models.CharField(_("ساعات کار"), max_length=200, blank=True)
    location = models.CharField(_("جای میز خدمت"), max_length=300, blank=True)
    map_url = models.URLField(_("پیوند نقشه"), max_length=500, blank=True)
    welcome_text = models.TextField(_("متن خوشامد صفحه نخست"), max_length=2000, blank=True)
    notice_text = models.CharField(_("متن اطلاعیه"), max_length=500, blank=True)
    notice_until = models.DateField(_("نمایش اطلاعیه تا"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name


class Theme(Branding):
    """The published theme: what every surface of the tenant shows."""

    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name = _("ظاهر درگاه")


class ThemeDraft(Branding):
    """The admins' working copy, seen only by an admin who turned preview on."""

    updated_by = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name = _("پیش‌نویس ظاهر درگاه")


class ThemeAudit(AuditChange):
    """A publish or a rollback: the published theme before and after, as snapshots."""

    audit_kind = "theme"

    class Action(models.TextChoices):
        PUBLISHED = "published", _("انتشار ظاهر درگاه")
        ROLLED_BACK = "rolled_back", _("بازگشت به ظاهر پیشین")

    action = models.CharField(max_length=40, choices=Action.choices)
    # A publish that a rollback has undone; the next rollback goes one further back.
    reverted = models.BooleanField(default=False)

    class Meta(AuditChange.Meta):
        verbose_name = _("رویداد ظاهر درگاه")
