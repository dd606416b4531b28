"""The branding editor's form: what an admin types, checked before it reaches the draft.

Colours must carry white text at WCAG 2.2 AA (4.5:1); a refused colour names the nearest
shade that passes, which the page offers as a button. Links are one a line, «title | URL».
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from lib.jalali import jalali_format, jalali_parse
from lib.persian import normalize_text, to_persian_digits
from portal_themes import error_codes
from portal_themes.contrast import AA_TEXT, contrast_ratio, nearest_passing_shade, passes
from portal_themes.images import favicon_process, logo_process

LINK_LINES_HELP = "هر پیوند در یک خط: عنوان | نشانی (مثلاً: سامانه شفافیت | https://shafaf.ir)"
MAX_LINKS = 12


class ColorInput(forms.TextInput):
    input_type = "color"


def _ratio_text(ratio: float) -> str:
    return to_persian_digits(f"{ratio:.1f}".replace(".", "٫"))


def links_parse(text: str, *, label: str) -> list[dict]:
    links, check = [], URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(f"{label}: حداکثر {to_persian_digits(MAX_LINKS)} پیوند.", code=error_codes.LINK_LINE_INVALID)
    for number, line in enumerate(lines, start=1):
        title, bar, url = line.partition("|")
        title, url = normalize_text(title.strip()), url.strip()
        if not bar or not title or not url or len(title) > 80:
            raise ValidationError(
                f"{label}، خط {to_persian_digits(number)}: به شکل «عنوان | نشانی» بنویسید (عنوان حداکثر ۸۰ نویسه).",
                code=error_codes.LINK_LINE_INVALID,
            )
        try:
            check(url)
        except ValidationError as error:
            raise ValidationError(
                f"{label}، خط {to_persian_digits(number)}: نشانی باید با http یا https آغاز شود و درست باشد.",
                code=error_codes.LINK_URL_INVALID,
            ) from error
        links.append({"title": title, "url": url})
    return links


def links_text(links) -> str:
    return "\n".join(f"{link['title']} | {link['url']}" for link in links or [])


class BrandingForm(forms.Form):
    display_name = forms.CharField(label="نام نمایشی درگاه", max_length=200)
    logo = forms.FileField(label="نشان درگاه", required=False)
    remove_logo = forms.BooleanField(label="برداشتن نشان کنونی", required=False)
    favicon = forms.FileField(label="نمادک زبانه مرورگر", required=False)
    remove_favicon = forms.BooleanField(label="برداشتن نمادک جداگانه و ساختن آن از نشان", required=False)
    primary_color = forms.RegexField(label="رنگ اصلی (سربرگ و دکمه‌ها)", regex=r"^#[0-9a-fA-F]{6}$", widget=ColorInput,
                                     error_messages={"invalid": "رنگ را از جدول رنگ‌ها برگزینید (نشانه # و شش نویسه شانزده‌شانزدهی)."})
    accent_color = forms.RegexField(label="رنگ دوم (نوار اطلاعیه و پانویس)", regex=r"^#[0-9a-fA-F]{6}$", widget=ColorInput,
                                    error_messages={"invalid": "رنگ را از جدول رنگ‌ها برگزینید (نشانه # و شش نویسه شانزده‌شانزدهی)."})
    header_links = forms.CharField(label="پیوندهای سربرگ", required=False, help_text=LINK_LINES_HELP,
                                   widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    footer_links = forms.CharField(label="پیوندهای پانویس", required=False, help_text=LINK_LINES_HELP,
                                   widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    social_links = forms.CharField(label="شبکه‌های اجتماعی", required=False, help_text=LINK_LINES_HELP,
                                   widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    address = forms.CharField(label="نشانی", max_length=300, required=False)
    phone = forms.CharField(label="تلفن", max_length=40, required=False)
    hours = forms.CharField(label="ساعات کار", max_length=200, required=False)
    location = forms.CharField(label="جای میز خدمت (راهنمای یافتن آن)", max_length=300, required=False)
    map_url = forms.URLField(label="پیوند نقشه جای میز خدمت", max_length=500, required=False, assume_scheme="https",
                             error_messages={"invalid": "پیوند نقشه باید نشانی درستی با http یا https باشد."})
    welcome_text = forms.CharField(label="متن خوشامد صفحه نخست", max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    notice_text = forms.CharField(label="متن اطلاعیه برای شهروندان", max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    notice_until = forms.CharField(label="نمایش اطلاعیه تا تاریخ (خورشیدی، مانند ۱۴۰۵/۰۹/۳۰)", max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions: dict[str, str] = {}
        self.fields["notice_until"].widget.attrs.update({"dir": "ltr", "inputmode": "numeric", "placeholder": "۱۴۰۵/۰۹/۳۰"})
        for name in ("phone", "map_url"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    @classmethod
    def initial_from(cls, draft) -> dict:
        return {
            **{name: getattr(draft, name) for name in (
                "display_name", "primary_color", "accent_color", "address", "phone", "hours", "location",
                "map_url", "welcome_text", "notice_text")},
            "header_links": links_text(draft.header_links),
            "footer_links": links_text(draft.footer_links),
            "social_links": links_text(draft.social_links),
            "notice_until": jalali_format(draft.notice_until) if draft.notice_until else "",
        }

    def _clean_color(self, name: str, label: str) -> str:
        value = self.cleaned_data[name].lower()
        if not passes(value):
            shade = nearest_passing_shade(value)
            self.suggestions[name] = shade
            raise ValidationError(
                f"متن سفید روی {label} خوانا نیست: نسبت تمایز {_ratio_text(contrast_ratio(value, '#ffffff'))} به ۱ است و "
                f"دست‌کم {_ratio_text(AA_TEXT)} به ۱ لازم است (کمینه دسترس‌پذیری برای متن). نزدیک‌ترین رنگ خوانا: {shade}",
                code=error_codes.COLOR_CONTRAST_LOW,
            )
        return value

    def clean_primary_color(self):
        return self._clean_color("primary_color", "رنگ اصلی")

    def clean_accent_color(self):
        return self._clean_color("accent_color", "رنگ دوم")

    def clean_header_links(self):
        return links_parse(self.cleaned_data["header_links"], label="پیوندهای سربرگ")

    def clean_footer_links(self):
        return links_parse(self.cleaned_data["footer_links"], label="پیوندهای پانویس")

    def clean_social_links(self):
        return links_parse(self.cleaned_data["social_links"], label="شبکه‌های اجتماعی")

    def clean_display_name(self):
        return normalize_text(self.cleaned_data["display_name"].strip())

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return logo_process(upload) if upload else None

    def clean_favicon(self):
        upload = self.cleaned_data.get("favicon")
        return favicon_process(upload) if upload else None

    def clean_notice_until(self):
        text = self.cleaned_data["notice_until"].strip()
        if not text:
            return None
        day = jalali_parse(text)
        if day is None:
            raise ValidationError("تاریخ را به شکل سال/ماه/روز خورشیدی بنویسید، مانند ۱۴۰۵/۰۹/۳۰.", code=error_codes.NOTICE_DATE_INVALID)
        if day < timezone.localdate():
            raise ValidationError("تاریخ پایان اطلاعیه گذشته است.", code=error_codes.NOTICE_DATE_PAST)
        return day

    def clean(self):
        data = super().clean()
        if data.get("notice_text", "").strip() and "notice_until" in data and data["notice_until"] is None:
            self.add_error("notice_until", ValidationError("برای اطلاعیه تاریخ پایان نمایش را بنویسید.", code=error_codes.NOTICE_DATE_REQUIRED))
        return data

    def draft_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in (
            "display_name", "primary_color", "accent_color", "header_links", "footer_links", "social_links",
            "address", "phone", "hours", "location", "map_url", "welcome_text", "notice_until")}
        values["notice_text"] = data["notice_text"].strip()
        return values
