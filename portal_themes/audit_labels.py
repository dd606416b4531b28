"""What the theme's audit trail (ThemeAudit) actions and fields are called (see lib/audit_changes.py)."""

from django.utils.translation import gettext_lazy as _

from lib.audit_changes import Field, register
from portal_themes.models import ThemeAudit

register(
    "theme",
    actions=dict(ThemeAudit.Action.choices),
    fields={
        "display_name": _("نام نمایشی"),
        "logo": Field(label=_("نشان"), summary=_("نشان تغییر کرد")),
        "favicon": Field(label=_("نمادک"), summary=_("نمادک تغییر کرد")),
        "primary_color": Field(label=_("رنگ اصلی"), latin=True),
        "accent_color": Field(label=_("رنگ دوم"), latin=True),
        "header_links": Field(label=_("پیوندهای سربرگ"), summary=_("پیوندهای سربرگ تغییر کرد")),
        "footer_links": Field(label=_("پیوندهای پانویس"), summary=_("پیوندهای پانویس تغییر کرد")),
        "social_links": Field(label=_("شبکه‌های اجتماعی"), summary=_("شبکه‌های اجتماعی تغییر کرد")),
        "address": _("نشانی"),
        "phone": Field(label=_("تلفن"), latin=True),
        "hours": _("ساعات کار"),
        "location": _("جای میز خدمت"),
        "map_url": Field(label=_("پیوند نقشه"), latin=True),
        "welcome_text": Field(label=_("متن خوشامد"), summary=_("متن خوشامد تغییر کرد")),
        "notice_text": Field(label=_("متن اطلاعیه"), summary=_("متن اطلاعیه تغییر کرد")),
        "notice_until": Field(label=_("نمایش اطلاعیه تا"), summary=_("تاریخ پایان اطلاعیه تغییر کرد")),
        "favicon_from_logo": _("نمادک از نشان"),
    },
)
