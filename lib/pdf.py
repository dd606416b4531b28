"""Persian PDFs: one renderer (WeasyPrint, the Vazirmatn font of static/fonts, declared once in
templates/pdf/base.html), QR codes as data URIs, and one way to answer with a PDF download."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from urllib.parse import quote

import qrcode
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML

from lib import branding
from lib.persian import to_ascii_digits

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
# What may stand in a file name unquoted: a name of these never needs an RFC 5987 form.
_UNSAFE = re.compile(r"[^\w.\-]+", re.ASCII)


def pdf_render(template_name: str, context: dict) -> bytes:
    """The template (one that extends pdf/base.html) as PDF bytes, with the tenant's brand
    (`brand`: name, logo, colours; lib/branding.py) for its letterhead."""
    html = render_to_string(template_name, {"brand": branding.current(), **context, "font_dir": FONT_DIR.as_uri()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a PNG data URI, for an <img> in a PDF template."""
    buffer = io.BytesIO()
    qrcode.make(text, box_size=8, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def pdf_filename(*parts: str) -> str:
    """The parts joined by hyphens, a slash (a letter's number «1404/12») made a hyphen too."""
    return "-".join(part.replace("/", "-") for part in parts) + ".pdf"


def content_disposition(filename: str, *, inline: bool) -> str:
    """The header for `filename`: plain when it is ASCII, otherwise an ASCII fallback for old
    clients plus the name itself in UTF-8 (RFC 6266)."""
    kind = "inline" if inline else "attachment"
    fallback = _ascii_fallback(filename)
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii_fallback(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", to_ascii_digits(filename)).encode("ascii", "ignore").decode()
    stem, dot, extension = _UNSAFE.sub("-", ascii_name).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = stem.strip("-.") or "document"
    return f"{stem}.{extension}" if extension else stem


def pdf_response(pdf: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """The PDF as a download (`inline`: shown in the browser's viewer, saved under `filename`)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
