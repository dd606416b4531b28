"""The information package (بسته اطلاع‌رسانی) of a service as a Persian PDF."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def information_package_pdf(*, service, tenant) -> bytes:
    from weasyprint import HTML

    from catalog.views_portal import card_context

    html = render_to_string(
        "catalog/pdf/package.html",
        {**card_context(service), "tenant": tenant, "now": timezone.now(), "font_dir": FONT_DIR.as_uri()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
