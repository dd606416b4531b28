"""A tenant's branding (tenant schema). One row per tenant, created when it is provisioned."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COLOR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("رنگ باید به شکل #RRGGBB باشد."))


class Theme(models.Model):
    display_name = models.CharField(_("نام نمایشی"), max_length=200)
    logo = models.ImageField(_("نشان"), upload_to="theme/", blank=True)
    primary_color = models.CharField(_("رنگ اصلی"), max_length=7, default="#0f5e9c", validators=[COLOR_VALIDATOR])
    accent_color = models.CharField(_("رنگ دوم"), max_length=7, default="#c8102e", validators=[COLOR_VALIDATOR])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ظاهر درگاه")

    def __str__(self) -> str:
        return self.display_name
