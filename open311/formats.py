"""GeoReport v2's two formats: XML (the spec's own, required) and JSON, both UTF-8, and its
errors, an array of {code, description} with the HTTP status as the code."""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element a list's items get in XML, by the list's own element name (the spec's names).
ITEM_NAMES = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "errors": "error", "endpoints": "endpoint", "formats": "format",
}


def w3c(moment: datetime.datetime | None) -> str | None:
    """A W3C date-time in Tehran's offset, e.g. 2026-11-22T11:12:09+03:30."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _xml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _xml_fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _xml_fill(ElementTree.SubElement(element, item_name), item)
    else:
        element.text = _xml_value(value)


def to_xml(root: str, value) -> bytes:
    element = ElementTree.Element(root)
    _xml_fill(element, value)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    """`value` (a list or a dict) as JSON, or as XML under the element `root`."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def error_response(fmt: str, status: int, problems: list[tuple[str, str]]) -> HttpResponse:
    """The spec's error answer, [{"code": 400, "description": "…"}, …], each with our stable
    `error_code` beside it (a client acts on that, never on the Persian)."""
    rows = [{"code": status, "description": text, "error_code": code} for text, code in problems]
    return respond(fmt, "errors", rows, status=status)
