from lib.identifiers import is_valid_luhn
from tenants.models import TrackingCode
from tenants.tracking_codes import tracking_code_clean, tracking_code_new, tracking_code_reserve, tracking_code_tenant


def test_codes_are_16_digits_with_a_luhn_check_and_not_sequential():
    codes = [tracking_code_new() for _ in range(200)]
    assert all(len(c) == 16 and c.isdigit() and c[0] != "0" and is_valid_luhn(c) for c in codes)
    assert len(set(codes)) == 200
    assert sorted(codes) != codes


def test_a_mistyped_digit_is_recognised():
    code = tracking_code_new()
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    assert tracking_code_clean(code) == code
    assert tracking_code_clean(wrong) is None
    assert tracking_code_clean("۱" + code[1:]) in (None, "1" + code[1:])  # Persian digits are read too
    assert tracking_code_clean(code[:-1]) is None


def test_reserved_codes_point_to_their_tenant(tenant_a, tenant_b):
    code = tracking_code_reserve(tenant=tenant_a)
    assert tracking_code_tenant(code) == tenant_a
    assert TrackingCode.objects.filter(code=code).count() == 1
