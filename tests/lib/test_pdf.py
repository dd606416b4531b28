"""The one PDF renderer: Persian text in the shipped Vazirmatn, QR codes, and the download's headers."""

import base64
import re
import subprocess
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings

from lib.pdf import pdf_filename, pdf_render, pdf_response, qr_data_uri

PHRASE = "رسید خدمت شهرداری اصفهان"
# pdftotext wraps right-to-left runs in bidi marks and drops the zero-width non-joiner.
_INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def sample_template(settings, tmp_path):
    """A PDF template as the apps write them: it extends pdf/base.html and fills its blocks."""
    (tmp_path / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block title %}نمونه{% endblock %}'
        "{% block page %}size: A5; margin: 12mm;{% endblock %}"
        "{% block body %}<h1>{{ phrase }}</h1>{% endblock %}", encoding="utf-8")
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [tmp_path, *django_settings.TEMPLATES[0]["DIRS"]]}]
    return "sample.html"


def _run(*command: str, pdf: bytes) -> str:
    """The command's output for the PDF given on its standard input."""
    return subprocess.run([*command, "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_persian_text_reads_back_in_order_in_vazirmatn(sample_template):
    pdf = pdf_render(sample_template, {"phrase": PHRASE})
    assert pdf.startswith(b"%PDF")
    text = _INVISIBLE.sub("", _run("pdftotext", "-enc", "UTF-8", "-", pdf=pdf))
    assert PHRASE in text
    assert PHRASE[::-1] not in text
    assert "Vazirmatn" in _run("pdffonts", pdf=pdf)  # the shipped font, not the system's fallback
    info = _run("pdfinfo", pdf=pdf)
    assert re.search(r"Page size:\s+419\.5\d* x 595\.2\d* pts", info)  # A5, from the page block
    assert re.search(r"Title:\s+نمونه", info)


def test_the_qr_code_reads_back(tmp_path):
    uri = qr_data_uri("http://alpha.localhost:8000/track/#1234567890")
    assert uri.startswith("data:image/png;base64,")
    (tmp_path / "qr.png").write_bytes(base64.b64decode(uri.split(",", 1)[1]))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True).stdout
    assert decoded.strip() == "http://alpha.localhost:8000/track/#1234567890"


def test_file_names():
    assert pdf_filename("receipt") == "receipt.pdf"
    assert pdf_filename("answer", "1404/12") == "answer-1404-12.pdf"


def test_an_ascii_name_is_sent_as_it_is():
    response = pdf_response(b"%PDF-1.7", filename="answer-1404-12.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="answer-1404-12.pdf"'
    assert response.content == b"%PDF-1.7"
    assert pdf_response(b"%PDF", filename="receipt.pdf", inline=True)["Content-Disposition"] == 'inline; filename="receipt.pdf"'


@pytest.mark.parametrize(("name", "fallback"), [
    ("رسید ۱۴۰۴-۱۲.pdf", "1404-12.pdf"),  # Persian digits kept as ASCII ones
    ("بسته اطلاع‌رسانی.pdf", "document.pdf"),
    ('a "quoted"\\name.pdf', "a-quoted-name.pdf"),
])
def test_any_other_name_has_an_ascii_fallback_and_itself_in_utf8(name, fallback):
    header = pdf_response(b"%PDF", filename=name)["Content-Disposition"]
    kind, plain, encoded = header.split("; ")
    assert kind == "attachment"
    assert plain == f'filename="{fallback}"'
    assert encoded.startswith("filename*=UTF-8''") and unquote(encoded.removeprefix("filename*=UTF-8''")) == name
    assert header.isascii()
