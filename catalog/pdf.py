"""The information package (بسته اطلاع‌رسانی) of a service as a Persian PDF."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.bpmn import bpmn_print_html
from lib.pdf import pdf_render


def _print_flowchart(service) -> str:
    """The flowchart with HTML labels: WeasyPrint's SVG text is neither shaped nor reordered."""
    if not service.bpmn_external:
        return ""
    try:
        return bpmn_print_html(service.bpmn_external)
    except ValidationError:
        return ""


def information_package_pdf(*, service, tenant) -> bytes:
    return pdf_render("catalog/pdf/package.html", {
        "service": service, "stages": list(service.stages.all()), "flowchart": _print_flowchart(service),
        "tenant": tenant, "now": timezone.now(),
    })

