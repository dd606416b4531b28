"""The shapes of GeoReport v2's JSON answers, for the OpenAPI schema (drf-spectacular) only:
the views build their answers by hand, the same dict for JSON and XML."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers


def _text(**kwargs):
    return serializers.CharField(**kwargs)


def _array(name: str, fields: dict) -> serializers.ListSerializer:
    """GeoReport v2 answers arrays at the top (JSON) or under one element (XML)."""
    return serializers.ListSerializer(child=inline_serializer(name, fields))


# drf-spectacular wraps lists in arrays for 2xx answers only: the errors' schema is written out.
ERRORS = {"type": "array", "items": {"type": "object", "required": ["code", "description", "error_code"], "properties": {
    "code": {"type": "integer", "description": "the HTTP status"},
    "description": {"type": "string", "description": "the field, then a Persian message"},
    "error_code": {"type": "string", "description": "a stable code to act on, e.g. api_key_invalid"},
}}}

SERVICE = _array("Open311Service", {
    "service_code": _text(help_text="the national service ID"), "service_name": _text(), "description": _text(),
    "metadata": serializers.BooleanField(), "type": _text(), "keywords": _text(), "group": _text(),
})

VALUE = serializers.ListSerializer(child=inline_serializer("Open311AttributeValue", {"key": _text(), "name": _text()}), required=False)
DEFINITION = inline_serializer("Open311ServiceDefinition", {
    "service_code": _text(),
    "attributes": serializers.ListSerializer(child=inline_serializer("Open311Attribute", {
        "variable": serializers.BooleanField(), "code": _text(),
        "datatype": serializers.ChoiceField(choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]),
        "required": serializers.BooleanField(), "datatype_description": _text(), "order": serializers.IntegerField(),
        "description": _text(), "values": VALUE,
    })),
})

REQUEST = _array("Open311Request", {
    "service_request_id": _text(help_text="the 16-digit tracking code"),
    "status": serializers.ChoiceField(choices=["open", "closed"]),
    "status_notes": _text(help_text="the status and stage, in Persian"),
    "service_name": _text(), "service_code": _text(), "agency_responsible": _text(), "service_notice": _text(),
    "requested_datetime": serializers.DateTimeField(), "updated_datetime": serializers.DateTimeField(),
    "expected_datetime": serializers.DateTimeField(),
})

CREATED = _array("Open311Created", {
    "service_request_id": _text(), "token": _text(), "service_notice": _text(), "account_id": _text(allow_null=True),
})

TOKEN = _array("Open311Token", {"service_request_id": _text(), "token": _text()})

DISCOVERY = inline_serializer("Open311Discovery", {
    "changeset": serializers.DateTimeField(), "contact": _text(), "key_service": _text(),
    "endpoints": serializers.ListSerializer(child=inline_serializer("Open311Endpoint", {
        "specification": _text(), "url": _text(), "changeset": serializers.DateTimeField(), "type": _text(),
        "formats": serializers.ListField(child=_text()),
    })),
})

_POST_FIELDS = {
    "api_key": _text(help_text="issued by the tenant's admins at /staff/api-keys/"),
    "jurisdiction_id": _text(required=False, help_text="the tenant's domain"),
    "service_code": _text(help_text="the national service ID"),
    "description": _text(required=False, max_length=4000, help_text="the request text, no markup"),
    "first_name": _text(required=False), "last_name": _text(required=False),
    "phone": _text(required=False, help_text="the applicant's mobile, 09… or +989…"),
    "email": _text(required=False),
    "lat": serializers.FloatField(required=False), "long": serializers.FloatField(required=False),
    "address_string": _text(required=False, max_length=500),
    "media_url": _text(required=False, help_text="fetched only from the hosts the operator allows (off by default)"),
    "attribute[national_code]": _text(required=False, help_text="required by every service; see the service definition"),
    "attribute[applicant_kind]": _text(required=False), "attribute[company_national_id]": _text(required=False),
    "attribute[company_name]": _text(required=False), "attribute[landline]": _text(required=False),
    "attribute[applicant_address]": _text(required=False), "attribute[unit]": _text(required=False),
    "attribute[visit_date]": _text(required=False), "attribute[previous_result]": _text(required=False),
}
POST = inline_serializer("Open311RequestPost", _POST_FIELDS)

JURISDICTION = OpenApiParameter("jurisdiction_id", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                description="the tenant's domain; another is a 404")
REQUEST_FILTERS = [
    OpenApiParameter("service_request_id", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                     description="tracking codes, comma-separated; the other filters are then ignored"),
    OpenApiParameter("service_code", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description="comma-separated"),
    OpenApiParameter("start_date", OpenApiTypes.DATETIME, OpenApiParameter.QUERY, required=False),
    OpenApiParameter("end_date", OpenApiTypes.DATETIME, OpenApiParameter.QUERY, required=False),
    OpenApiParameter("status", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description="open, closed or both, comma-separated"),
]


def errors(description: str) -> OpenApiResponse:
    return OpenApiResponse(ERRORS, description=description)


def drop_xml(endpoints, **kwargs):
    """drf-spectacular's preprocessing hook: the schema describes the JSON twins only."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith(".xml")]
