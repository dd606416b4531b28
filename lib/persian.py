"""Persian text on input and output: Arabic letters and digits in, Persian digits out."""

from __future__ import annotations

import re

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", _PERSIAN_DIGITS)
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_SPACES = re.compile(r"[ \t\u00a0\u200f\u200e]+")


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def to_persian_digits(value: object) -> str:
    return str(value).translate(_TO_PERSIAN_DIGITS)


def normalize_text(text: str) -> str:
    """Arabic ي/ك to Persian ی/ک, digits to ASCII, runs of spaces to one, trimmed."""
    if not text:
        return ""
    text = text.translate(_ARABIC_LETTERS).translate(_TO_ASCII)
    return _SPACES.sub(" ", text).strip()
