"""A request posted by an Open311 client, submitted through the wizard's own path.

GeoReport v2's fields are mapped onto the request API's (`RequestSubmitSerializer`, judged by
the wizard's forms and file check) and the whole request is submitted by
`request_submit_whole`, as POST /api/requests/ does: one set of rules, one submit. The key's
name becomes the request's channel; a location, when given, is kept in the request's `extra`.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field

import jdatetime
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail

from intake import error_codes as intake_codes
from intake.citizen.api_serializers import RequestSubmitSerializer
from intake.citizen.submissions import request_submit_whole
from intake.models import ServiceRequest
from lib.api_errors import error_details
from lib.persian import to_ascii_digits
from open311 import error_codes
from open311.media import media_fetch
from open311.models import ApiKey
from open311.selectors import Attribute, service_attributes, service_offered
from payments import error_codes as payment_codes

# Refusals that no change to the form would mend: the plan's monthly limit, and fees a gateway
# collects (an Open311 client cannot pay them; the citizen requests that service in the portal).
REFUSED_FOR_THE_TENANT = (intake_codes.MONTHLY_LIMIT_REACHED, payment_codes.PAYMENT_REQUIRED)
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&[a-zA-Z#][a-zA-Z0-9]*;")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")

# The request API's field ← where it comes from in GeoReport v2 (attributes by their code).
STANDARD_FIELDS = {"text": "description", "first_name": "first_name", "last_name": "last_name", "mobile": "phone", "email": "email"}
ATTRIBUTE_FIELDS = {"address": "applicant_address"}


@dataclass
class Refusal(Exception):
    """The spec's error answer: the HTTP status and each problem as (description, code)."""

    status: int
    problems: list[tuple[str, str]] = field(default_factory=list)


def _refuse(status: int, description: str, code: str):
    return Refusal(status, [(description, code)])


def _attributes(post, attributes: list[Attribute]) -> dict[str, list[str]]:
    known = {a.code: a for a in attributes}
    values: dict[str, list[str]] = {}
    problems = []
    for key in post:
        match = ATTRIBUTE_KEY.match(key)
        if not match:
            continue
        code = match[1]
        if code not in known:
            problems.append((_("attribute[%(code)s]: این خدمت چنین ویژگی‌ای ندارد.") % {"code": code}, error_codes.ATTRIBUTE_UNKNOWN))
            continue
        given = [v for v in post.getlist(key) if v != ""]
        attribute = known[code]
        allowed = {k for k, _name in attribute.values}
        if attribute.datatype in ("singlevaluelist", "multivaluelist") and any(v not in allowed for v in given) \
                or attribute.datatype == "singlevaluelist" and len(given) > 1:
            problems.append((_("attribute[%(code)s]: مقدار از فهرست مقدارهای این ویژگی نیست.") % {"code": code}, error_codes.ATTRIBUTE_VALUE_INVALID))
            continue
        values[code] = given
    if problems:
        raise Refusal(400, problems)
    return values


def _jalali_from_w3c(value: str) -> str:
    moment = parse_datetime(value.strip()) if value else None
    if moment is None:
        try:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(value.strip()), datetime.time())
        except ValueError:
            raise _refuse(400, _("attribute[visit_date]: تاریخ را به شکل W3C بنویسید، مانند 2026-11-01T09:00:00+03:30."), error_codes.DATE_INVALID) from None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return jdatetime.date.fromgregorian(date=moment.date()).strftime("%Y/%m/%d")


def _location(post) -> dict:
    """lat/long (WGS84 degrees, both or neither) and address_string, as the client gave them."""
    lat, long_ = (to_ascii_digits(post.get(name, "")).strip() for name in ("lat", "long"))
    location = {}
    if lat or long_:
        try:
            lat_value, long_value = float(lat), float(long_)
        except ValueError:
            raise _refuse(400, _("lat و long هر دو باید عدد (درجه) باشند."), error_codes.LOCATION_INVALID) from None
        if not (-90 <= lat_value <= 90 and -180 <= long_value <= 180):
            raise _refuse(400, _("lat و long هر دو باید عدد (درجه) باشند."), error_codes.LOCATION_INVALID)
        location.update(lat=lat_value, long=long_value)
    address = post.get("address_string", "").strip()
    if len(address) > 500:
        raise _refuse(400, _("address_string حداکثر ۵۰۰ نویسه است."), error_codes.LOCATION_INVALID)
    if address:
        location["address_string"] = address
    return location


def _submission(post, service, attributes: dict[str, list[str]], files: list) -> dict:
    """The request API's fields, from GeoReport v2's."""
    data = {"service": service.national_id, "files": files}
    for api_field, name in STANDARD_FIELDS.items():
        data[api_field] = post.get(name, "")
    for attribute in service_attributes(service):
        given = attributes.get(attribute.code)
        if not given:
            continue
        value = given[0]
        if attribute.code == "visit_date":
            value = _jalali_from_w3c(value)
        data[next((f for f, code in ATTRIBUTE_FIELDS.items() if code == attribute.code), attribute.code)] = value
    return data


def _field_name(api_field: str) -> str:
    if api_field in STANDARD_FIELDS:
        return STANDARD_FIELDS[api_field]
    if api_field in ("files",):
        return "media_url"
    if api_field == "non_field_errors":
        return ""
    return f"attribute[{ATTRIBUTE_FIELDS.get(api_field, api_field)}]"


def _problems(errors: dict) -> list[tuple[str, str]]:
    problems = []
    for api_field, details in errors.items():
        name = _field_name(api_field)
        for detail in details if isinstance(details, list) else [details]:
            code = detail.code if isinstance(detail, ErrorDetail) else "invalid"
            problems.append((f"{name}: {detail}" if name else str(detail), code))
    return problems


def open311_request_submit(*, post, key: ApiKey) -> ServiceRequest:
    """Register a request posted by an Open311 client (form fields of GeoReport v2), or raise
    Refusal with the spec's status: 400 for bad input, 403 over the plan's monthly limit or for
    fees that must be paid online first."""
    code = to_ascii_digits(post.get("service_code", "")).strip()
    if not code:
        raise _refuse(400, _("service_code: شناسه ملی خدمت را بفرستید."), error_codes.SERVICE_CODE_REQUIRED)
    service = service_offered(code)
    if service is None:
        raise _refuse(404, _("service_code: این خدمت در این درگاه برای درخواست برخط ارائه نمی‌شود."), intake_codes.SERVICE_NOT_OFFERED_ONLINE)
    if MARKUP.search(post.get("description", "")):
        raise _refuse(400, _("description: متن درخواست را بی‌نشانه‌گذاری (HTML) بنویسید."), error_codes.DESCRIPTION_MARKUP)
    attributes = _attributes(post, service_attributes(service))
    location = _location(post)
    files = []
    if post.get("media_url", "").strip():
        try:
            files.append(media_fetch(url=post["media_url"], max_bytes=service.attachment_max_kb * 1024))
        except DjangoValidationError as error:
            raise Refusal(400, [(f"media_url: {d}", d.code) for d in error_details(error)]) from None
    serializer = RequestSubmitSerializer(data=_submission(post, service, attributes, files))
    if not serializer.is_valid():
        raise Refusal(400, _problems(serializer.errors))
    validated = serializer.validated_data
    if location:
        validated["steps"]["details"]["extra"] = {"location": location}
    try:
        service_request = request_submit_whole(token=uuid.uuid4(), channel=key.name, **validated).request
    except DjangoValidationError as error:
        details = error_details(error)
        status = 403 if any(d.code in REFUSED_FOR_THE_TENANT for d in details) else 400
        raise Refusal(status, [(str(d), d.code) for d in details]) from None
    return service_request
