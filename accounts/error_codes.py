"""The codes of accounts's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Give every `ValidationError` (and `add_error` with a message) one of these as `code=`;
tests/lib/test_error_codes.py fails on one without. Never change a value once released.
"""

EMAIL_TAKEN = "email_taken"
OWN_ACCESS_LOCKED = "own_access_locked"
PUBLIC_HOST = "public_host"
ROLE_REQUIRED = "role_required"
UNIT_REQUIRED_FOR_ROLE = "unit_required_for_role"
