"""The codes of lib's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Give every `ValidationError` (and `add_error` with a message) one of these as `code=`;
tests/lib/test_error_codes.py fails on one without. Never change a value once released.
"""

FILE_CHOOSE_AGAIN = "file_choose_again"
INVALID_LEGAL_ID = "invalid_legal_id"
INVALID_MOBILE = "invalid_mobile"
INVALID_NATIONAL_CODE = "invalid_national_code"
INVALID_SHEBA = "invalid_sheba"
