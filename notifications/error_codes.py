"""The codes of notifications's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Give every `ValidationError` (and `add_error` with a message) one of these as `code=`;
tests/lib/test_error_codes.py fails on one without. Never change a value once released.
"""

OTP_HOURLY_LIMIT = "otp_hourly_limit"
OTP_TOO_SOON = "otp_too_soon"
PLACEHOLDER_BRACES_UNBALANCED = "placeholder_braces_unbalanced"
PLACEHOLDER_UNKNOWN = "placeholder_unknown"
SMS_EMPTY = "sms_empty"
SMS_PLACEHOLDER_MISSING = "sms_placeholder_missing"
