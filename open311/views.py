"""GeoReport v2 on a tenant's host, under /open311/v2/: every endpoint in XML and JSON.

DRF views for the OpenAPI schema (the JSON twins are described; the XML ones are the same
views), answering with the spec's documents built by hand. Every refusal, DRF's own included
(a bad form, a wrong method), is the spec's array of errors in the format asked for.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from lib.hosts import host_url
from lib.jalali import jalali_format as jdate
from lib.persian import to_ascii_digits
from open311 import api_schema, error_codes
from open311.formats import error_response, respond
from open311.keys import api_key_check
from open311.selectors import (
    RequestQuery, request_by_code, request_by_token, request_row, requests_found, service_definition, service_offered,
    service_row, services_offered,
)
from open311.services import Refusal, open311_request_submit
from tenants.models import Domain

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+03:30"  # when this server's behaviour last changed
MAX_OFFSET = datetime.timedelta(hours=14)  # the widest a real time zone is
KEY_REFUSALS = {
    error_codes.API_KEY_MISSING: (403, "api_key: کلید رابط برنامه‌نویسی را بفرستید."),
    error_codes.API_KEY_INVALID: (403, "api_key: این کلید در این دستگاه معتبر نیست یا باطل شده است."),
    error_codes.API_KEY_RATE_LIMITED: (429, "api_key: درخواست‌های این کلید از سقف هر دقیقه گذشته است؛ کمی بعد دوباره بفرستید."),
}


class _AnyContent(BaseContentNegotiation):
    """The format is the URL's suffix, whatever Accept says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Open311View(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _AnyContent
    fmt = "json"

    def initial(self, request, *args, **kwargs):
        self.fmt = kwargs.get("fmt", self.fmt)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, Refusal):
            return error_response(self.fmt, exc.status, exc.problems)
        if isinstance(exc, exceptions.MethodNotAllowed):
            response = error_response(self.fmt, 405, [(_("این روش درخواست پذیرفته نیست."), "method_not_allowed")])
            response["Allow"] = ", ".join(self.allowed_methods)
            return response
        if isinstance(exc, exceptions.APIException):
            return error_response(self.fmt, exc.status_code, [(str(exc.detail), exc.default_code)])
        raise exc

    def jurisdiction_check(self, request):
        """jurisdiction_id is optional; when given it must be one of this tenant's domains."""
        asked = (request.query_params.get("jurisdiction_id") or request.data.get("jurisdiction_id") or "").strip().lower()
        if asked and asked not in tenant_domains():
            raise Refusal(404, [(_("jurisdiction_id: این دستگاه چنین حوزه‌ای ندارد؛ نام دامنه همین درگاه را بفرستید."), error_codes.JURISDICTION_UNKNOWN)])


def tenant_domains() -> set[str]:
    tenant = connection.tenant
    verified = Domain.objects.filter(tenant=tenant).exclude(is_custom=True, is_verified=False).values_list("domain", flat=True)
    return {domain.lower() for domain in verified} | {tenant.subdomain.lower()}


def _not_found(what: str) -> Refusal:
    return Refusal(404, [(what, error_codes.NOT_FOUND)])


class DiscoveryView(Open311View):
    @extend_schema(operation_id="open311_discovery", summary="Open311: service discovery", parameters=[api_schema.JURISDICTION],
                   responses={200: api_schema.DISCOVERY, 404: api_schema.errors("unknown jurisdiction")})
    def get(self, request, fmt="json"):
        self.jurisdiction_check(request)
        tenant = connection.tenant
        base = host_url(tenant.subdomain).rstrip("/") + "/open311/v2/"
        return respond(self.fmt, "discovery", {
            "changeset": CHANGESET, "contact": f"{tenant.name} {tenant.phone}".strip(),
            "key_service": host_url(tenant.subdomain).rstrip("/") + "/staff/api-keys/",
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET, "type": "production",
                           "formats": ["text/xml", "application/json"]}],
        })


class ServiceListView(Open311View):
    @extend_schema(operation_id="open311_services", summary="Open311: the services that take requests",
                   parameters=[api_schema.JURISDICTION], responses={200: api_schema.SERVICE, 404: api_schema.errors("unknown jurisdiction")})
    def get(self, request, fmt="json"):
        self.jurisdiction_check(request)
        return respond(self.fmt, "services", [service_row(service) for service in services_offered()])


class ServiceDefinitionView(Open311View):
    @extend_schema(operation_id="open311_service_definition", summary="Open311: a service's attributes",
                   parameters=[api_schema.JURISDICTION],
                   responses={200: api_schema.DEFINITION, 404: api_schema.errors("no such service, or unknown jurisdiction")})
    def get(self, request, service_code, fmt="json"):
        self.jurisdiction_check(request)
        service = service_offered(to_ascii_digits(service_code).strip())
        if service is None:
            raise _not_found(_("service_code: این خدمت در این درگاه برای درخواست برخط ارائه نمی‌شود."))
        return respond(self.fmt, "service_definition", service_definition(service))


def _date(request, name: str):
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        moment = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    offset = moment.utcoffset() if moment is not None and timezone.is_aware(moment) else None
    if moment is None or not (1900 <= moment.year <= 2200) or (offset is not None and abs(offset) > MAX_OFFSET):
        raise Refusal(400, [(_("%(name)s: تاریخ را به شکل W3C بنویسید، مانند 2026-11-01T00:00:00+03:30.") % {"name": name}, error_codes.DATE_INVALID)])
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _list(request, name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in to_ascii_digits(request.query_params.get(name, "")).split(",") if item.strip())


class RequestsView(Open311View):
    @extend_schema(operation_id="open311_requests", summary="Open311: requests (no personal data)",
                   parameters=[api_schema.JURISDICTION, *api_schema.REQUEST_FILTERS],
                   responses={200: api_schema.REQUEST, 400: api_schema.errors("a bad filter"), 404: api_schema.errors("unknown jurisdiction")})
    def get(self, request, fmt="json"):
        self.jurisdiction_check(request)
        statuses = _list(request, "status")
        if any(status not in ("open", "closed") for status in statuses):
            raise Refusal(400, [(_("status: فقط open یا closed."), error_codes.STATUS_INVALID)])
        query = RequestQuery(codes=_list(request, "service_request_id"), service_codes=_list(request, "service_code"),
                             start=_date(request, "start_date"), end=_date(request, "end_date"), statuses=statuses)
        return respond(self.fmt, "service_requests", [request_row(found) for found in requests_found(query)])

    @extend_schema(operation_id="open311_request_create", summary="Open311: submit a request (with an API key)",
                   request={"application/x-www-form-urlencoded": api_schema.POST},
                   responses={201: api_schema.CREATED, 400: api_schema.errors("bad input, every problem listed"),
                              403: api_schema.errors("no key, a wrong or revoked key, or the plan's monthly limit reached"),
                              404: api_schema.errors("no such service, or unknown jurisdiction"),
                              429: api_schema.errors("the key's per-minute limit")})
    def post(self, request, fmt="json"):
        self.jurisdiction_check(request)
        check = api_key_check(request.data.get("api_key", ""))
        if check.error:
            status, text = KEY_REFUSALS[check.error]
            raise Refusal(status, [(text, check.error)])
        service_request = open311_request_submit(post=request.data, key=check.key)
        notice = _("درخواست ثبت شد؛ تاریخ وعده پاسخ: %(date)s.") % {"date": jdate(service_request.promised_date)}
        return respond(self.fmt, "service_requests", [{
            "service_request_id": service_request.tracking_code, "token": str(service_request.wizard_token),
            "service_notice": notice, "account_id": None,
        }], status=201)


class RequestView(Open311View):
    @extend_schema(operation_id="open311_request", summary="Open311: one request by its tracking code",
                   parameters=[api_schema.JURISDICTION], responses={200: api_schema.REQUEST, 404: api_schema.errors("no such request")})
    def get(self, request, request_id, fmt="json"):
        self.jurisdiction_check(request)
        found = request_by_code(to_ascii_digits(request_id).strip())
        if found is None:
            raise _not_found(_("service_request_id: درخواستی با این کد رهگیری در این دستگاه نیست."))
        return respond(self.fmt, "service_requests", [request_row(found)])


class TokenView(Open311View):
    @extend_schema(operation_id="open311_token", summary="Open311: the request a POST's token became",
                   parameters=[api_schema.JURISDICTION], responses={200: api_schema.TOKEN, 404: api_schema.errors("no such token")})
    def get(self, request, token, fmt="json"):
        self.jurisdiction_check(request)
        try:
            found = request_by_token(uuid.UUID(token.strip()))
        except ValueError:
            found = None
        if found is None:
            raise _not_found(_("token: درخواستی با این نشانه در این دستگاه نیست."))
        return respond(self.fmt, "service_requests", [{"service_request_id": found.tracking_code, "token": str(found.wizard_token)}])
