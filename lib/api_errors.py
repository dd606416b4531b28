"""The API's refusals carry codes beside their Persian messages, so that a client can act on
`invalid_national_code` without reading Persian: `{"national_code": ["کد ملی …"],
"codes": {"national_code": ["invalid_national_code"]}}`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.views import exception_handler

CODES = "codes"


def api_exception_handler(exc, context):
    """DRF's own answer; a refused input's also maps each field to the codes of its messages."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError) and isinstance(response.data, dict):
        response.data[CODES] = exc.get_codes()
    return response


def error_details(error: DjangoValidationError) -> list[ErrorDetail]:
    """Every message of a Django ValidationError, each keeping its own code, as DRF answers them."""
    singles = [e for errors in error.error_dict.values() for e in errors] if hasattr(error, "error_dict") else error.error_list
    return [ErrorDetail(message, code=single.code) for single in singles for message in single]
