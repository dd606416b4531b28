"""The codes of tenants's validation errors, one constant each.

Stable, snake_case English: an API client acts on the code, a person reads the Persian message
beside it. Give every `ValidationError` (and `add_error` with a message) one of these as `code=`;
tests/lib/test_error_codes.py fails on one without. Never change a value once released.
"""

DOMAIN_INVALID = "domain_invalid"
DOMAIN_PLATFORM_SUBDOMAIN = "domain_platform_subdomain"
DOMAIN_TAKEN = "domain_taken"
STATUS_CHANGE_REFUSED = "status_change_refused"
