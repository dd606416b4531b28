"""The information package is a Persian PDF that carries the card's own text and a Jalali date."""

import re
import subprocess

import jdatetime

from lib.persian import normalize_text

# pdftotext wraps right-to-left runs in bidi marks and drops the zero-width non-joiner.
_INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "package.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return normalize_text(_INVISIBLE.sub("", result.stdout.decode()))


def test_package_pdf_contains_the_card_text(alpha_catalog, client_a, tmp_path):
    response = client_a.get("/services/10901010100/package.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    for phrase in ("صدور پروانه ساختمان مسکونی", "تصویر سند مالکیت", "بازدید کارشناس", "شهرداری آلفا",
                   "شناسه خدمت", "مدارک مورد نیاز", "10901010100", "کارشناس مسئول خدمت"):
        assert phrase in text, phrase
    assert jdatetime.date.today().strftime("%Y/%m/%d") in text  # normalize_text made the digits ASCII


def test_the_flowchart_reads_back_in_persian(alpha_catalog, client_a, tmp_path):
    """Its labels were SVG text, which WeasyPrint draws reversed and unjoined («کرادم یسررب»)."""
    text = _pdf_text(client_a.get("/services/10901010100/package.pdf").content, tmp_path)
    names = ["ثبت درخواست", "بررسی مدارک", "بازدید کارشناس", "محاسبه عوارض", "صدور پروانه", "دریافت پاسخ"]
    for name in names:
        assert name in text, name
        assert name[::-1] not in text, name
    # Each stage is in the numbered list and again in the flowchart.
    assert text.count("بررسی مدارک") == 2
