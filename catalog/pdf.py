"""The information package (بسته اطلاع‌رسانی) of a service as a Persian PDF."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from catalog.bpmn import bpmn_print_html

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def _print_flowchart(service) -> str:
    """The flowchart with HTML labels: WeasyPrint's SVG text is neither shaped nor reordered."""
    if not service.bpmn_external:
        return ""
    try:
        return bpmn_print_html(service.bpmn_external)
    except ValidationError:
        return ""


def information_package_pdf(*, service, tenant) -> bytes:
    from weasyprint import HTML

    from catalog.views_portal import card_context

    html = render_to_string(
        "catalog/pdf/package.html",
        {**card_context(service), "flowchart": _print_flowchart(service), "tenant": tenant, "now": timezone.now(),
         "font_dir": FONT_DIR.as_uri()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
