import pytest
from django.core.exceptions import ValidationError

from lib.identifiers import (
    clean_legal_national_id,
    is_valid_legal_national_id,
    is_valid_national_code,
    is_valid_sheba,
    make_legal_national_id,
    normalize_mobile,
)
from lib.persian import normalize_text, to_persian_digits


@pytest.mark.parametrize("code", ["0084575948", "۰۰۸۴۵۷۵۹۴۸", "0499370899"])
def test_valid_national_codes(code):
    assert is_valid_national_code(code)


@pytest.mark.parametrize("code", ["0084575949", "1111111111", "12345", "abcdefghij", ""])
def test_invalid_national_codes(code):
    assert not is_valid_national_code(code)


def test_legal_national_id_check_digit():
    valid = make_legal_national_id("1410123456")
    assert is_valid_legal_national_id(valid)
    wrong_digit = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert not is_valid_legal_national_id(wrong_digit)
    assert not is_valid_legal_national_id("1234567890")  # ten digits
    assert not is_valid_legal_national_id("11111111111")


def test_legal_national_id_message_is_persian():
    with pytest.raises(ValidationError) as error:
        clean_legal_national_id("12345678901")
    assert "شناسه ملی" in error.value.messages[0]


def test_sheba_mod97():
    assert is_valid_sheba("IR062960000000100324200001")
    assert is_valid_sheba("ir06 2960 0000 0010 0324 2000 01")
    assert not is_valid_sheba("IR062960000000100324200002")
    assert not is_valid_sheba("DE062960000000100324200001")


def test_mobile_numbers_are_normalised():
    assert normalize_mobile("+98 912 123 4567") == "09121234567"
    assert normalize_mobile("۰۹۱۲۱۲۳۴۵۶۷") == "09121234567"
    assert normalize_mobile("9121234567") == "09121234567"
    assert normalize_mobile("02112345678") is None


def test_persian_normalisation():
    assert normalize_text("  علي   كريمي ۱۲۳ ") == "علی کریمی 123"
    assert to_persian_digits("1405/01/02") == "۱۴۰۵/۰۱/۰۲"
