"""Iranian identifiers, checked with their check digits.

Each `is_valid_*` takes the raw input (Persian or Arabic digits allowed); each `clean_*`
returns the normalised ASCII form or raises ValidationError with a Persian message.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib import error_codes
from lib.persian import to_ascii_digits

_LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def _digits(value: str) -> str:
    return re.sub(r"[\s\-]", "", to_ascii_digits(str(value or "")))


def is_valid_national_code(value: str) -> bool:
    """کد ملی: 10 digits, the last a mod-11 check over the first nine."""
    code = _digits(value)
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def is_valid_legal_national_id(value: str) -> bool:
    """شناسه ملی of a legal person: 11 digits, the last a weighted mod-11 check."""
    code = _digits(value)
    if not re.fullmatch(r"\d{11}", code) or len(set(code)) == 1 or code[3:9] == "000000":
        return False
    offset = int(code[9]) + 2
    total = sum((int(code[i]) + offset) * _LEGAL_ID_WEIGHTS[i % 5] for i in range(10))
    remainder = total % 11
    if remainder == 10:
        remainder = 0
    return remainder == int(code[10])


def is_valid_sheba(value: str) -> bool:
    """شبا: IR and 24 digits, checked mod 97 as an IBAN."""
    sheba = _digits(value).upper()
    if not re.fullmatch(r"IR\d{24}", sheba):
        return False
    rearranged = sheba[4:] + "1827" + sheba[2:4]  # I=18, R=27
    return int(rearranged) % 97 == 1


def normalize_mobile(value: str) -> str | None:
    """09xxxxxxxxx from 09…, 9…, +989…, 00989…; None if it is not an Iranian mobile."""
    number = _digits(value)
    number = re.sub(r"^(\+98|0098|98)", "0", number)
    if re.fullmatch(r"9\d{9}", number):
        number = "0" + number
    return number if re.fullmatch(r"09\d{9}", number) else None


def clean_legal_national_id(value: str) -> str:
    if not is_valid_legal_national_id(value):
        raise ValidationError(_("شناسه ملی باید ۱۱ رقم با رقم کنترل درست باشد."), code=error_codes.INVALID_LEGAL_ID)
    return _digits(value)


def clean_national_code(value: str) -> str:
    if not is_valid_national_code(value):
        raise ValidationError(_("کد ملی باید ۱۰ رقم با رقم کنترل درست باشد."), code=error_codes.INVALID_NATIONAL_CODE)
    return _digits(value)


def clean_sheba(value: str) -> str:
    if not is_valid_sheba(value):
        raise ValidationError(_("شماره شبا باید با IR و ۲۴ رقم باشد و رقم کنترل آن درست باشد."), code=error_codes.INVALID_SHEBA)
    return _digits(value).upper()


def clean_mobile(value: str) -> str:
    mobile = normalize_mobile(value)
    if mobile is None:
        raise ValidationError(_("شماره همراه باید به شکل ۰۹xxxxxxxxx باشد."), code=error_codes.INVALID_MOBILE)
    return mobile


def make_legal_national_id(prefix10: str) -> str:
    """Complete ten digits with their check digit (demo data and tests)."""
    offset = int(prefix10[9]) + 2
    total = sum((int(prefix10[i]) + offset) * _LEGAL_ID_WEIGHTS[i % 5] for i in range(10))
    remainder = total % 11
    return prefix10 + str(0 if remainder == 10 else remainder)


def make_sheba(bban22: str) -> str:
    """A Sheba number with the right check digits for the 22 account digits (demo data and tests)."""
    check = 98 - int(bban22 + "1827" + "00") % 97
    return f"IR{check:02d}{bban22}"


def luhn_check_digit(digits: str) -> str:
    """The Luhn digit that makes `digits` + it a valid Luhn number."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # these positions are doubled once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_valid_luhn(number: str) -> bool:
    number = _digits(number)
    return len(number) >= 2 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def make_national_code(prefix9: str) -> str:
    """Complete nine digits with their check digit (demo data and tests)."""
    remainder = sum(int(prefix9[i]) * (10 - i) for i in range(9)) % 11
    return prefix9 + str(remainder if remainder < 2 else 11 - remainder)
