"""The citizens' request API: submit a request and track it, under the wizard's and the tracking
page's rules (the same forms, file checks, idempotent submit, rate limits and messages).

No sign-in and no CSRF: `authentication_classes = []` (session authentication would demand a
CSRF token, and these calls carry no cookie anyway).
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from intake import error_codes
from lib.api_errors import error_details
from intake.citizen.api_serializers import RequestReceiptSerializer, RequestSubmitSerializer, RequestTrackingSerializer, RequestTrackQuerySerializer
from intake.citizen.selectors import request_track_summary
from intake.citizen.submissions import IdempotencyConflict, request_for_key, request_submit_whole, submission_client_key
from intake.citizen.tracking_lookup import MISTYPED_CODE, tracking_lookup
from lib.client_ip import client_ip

IDEMPOTENCY_HEADER = "Idempotency-Key"
ERRORS = inline_serializer("FieldErrors", {
    "field": serializers.ListField(child=serializers.CharField(), help_text="Persian messages"),
    "codes": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="each field's codes, e.g. {\"national_code\": [\"invalid_national_code\"]}"),
})
DETAIL = inline_serializer("Detail", {"detail": serializers.CharField(), "code": serializers.CharField()})


class _CitizenAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class RequestSubmitView(_CitizenAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="request_submit",
        summary="ثبت درخواست (همه مراحل در یک فراخوانی)",
        description=(
            "Multipart: the wizard's fields and up to the card's number of `files`. With an "
            "Idempotency-Key (a UUID), the same key always returns the same request: 201 the first "
            "time, 200 after, and never a second request, even for concurrent posts. A key replays "
            "only to the client that first used it (its session's user, if any, and the same fields "
            "and files): anyone else gets 409 `idempotency_key_conflict` and nothing of the request."
        ),
        parameters=[OpenApiParameter(IDEMPOTENCY_HEADER, OpenApiTypes.UUID, OpenApiParameter.HEADER, required=False)],
        request={"multipart/form-data": RequestSubmitSerializer},
        responses={201: RequestReceiptSerializer, 200: RequestReceiptSerializer, 400: OpenApiResponse(ERRORS, description="Persian messages per field"),
                   409: OpenApiResponse(DETAIL, description="the Idempotency-Key belongs to another client or another request")},
    )
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        try:
            token = uuid.UUID(key) if key else uuid.uuid4()
        except ValueError:
            raise serializers.ValidationError(
                {IDEMPOTENCY_HEADER: [_("کلید تکرار (Idempotency-Key) باید یک UUID باشد.")]}, code=error_codes.IDEMPOTENCY_KEY_INVALID
            ) from None
        client_key = _client_key(request)
        try:
            serializer = RequestSubmitSerializer(data=request.data)
            if not serializer.is_valid():
                # A retry whose request was made is answered with it even if the card has changed
                # since; a valid retry finds its request in request_submit_whole, with no read first.
                if key and (existing := request_for_key(token=token, client_key=client_key)):
                    return Response(RequestReceiptSerializer(existing).data, status=status.HTTP_200_OK)
                raise serializers.ValidationError(serializer.errors)
            submitted = request_submit_whole(token=token, client_key=client_key, **serializer.validated_data)
        except IdempotencyConflict as conflict:
            return Response({"detail": conflict.messages[0], "code": conflict.code}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error_details(error)}) from error
        receipt = RequestReceiptSerializer(submitted.request, context={"attachments": submitted.attachments}).data
        return Response(receipt, status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK)


def _client_key(request) -> str:
    """Who is calling, as far as the API can know: the session's user, if any, and what it sent."""
    user = get_user(request._request)  # the session's: DRF's request.user is anonymous here (no authentication classes)
    data = request.data
    if hasattr(data, "getlist"):
        fields = {name: data.getlist(name) for name in data if name not in request.FILES}
    else:
        fields = {name: value if isinstance(value, list) else [value] for name, value in data.items()}
    files = {name: request.FILES.getlist(name) for name in request.FILES}
    return submission_client_key(user_id=user.pk if user.is_authenticated else None, fields=fields, files=files)


class RequestTrackView(_CitizenAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="request_track",
        summary="پیگیری درخواست",
        description=(
            "Tracking code plus the applicant's national code or mobile. POST only, so neither is "
            "ever in a URL or a log; counted per IP and per code like the tracking page. Any wrong "
            "pair gets the same 404; a code failing its check digit gets 400 (mistyped)."
        ),
        request=RequestTrackQuerySerializer,
        responses={
            200: RequestTrackingSerializer,
            400: OpenApiResponse(ERRORS, description="mistyped code"),
            404: OpenApiResponse(DETAIL, description="no request with this pair"),
            429: OpenApiResponse(DETAIL, description="too many attempts"),
        },
    )
    def post(self, request):
        query = RequestTrackQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        lookup = tracking_lookup(
            ip=client_ip(request), code=query.validated_data["code"], identity=query.validated_data["identity"], find=request_track_summary
        )
        if lookup.found:
            return Response(RequestTrackingSerializer(lookup.found).data)
        if lookup.error == MISTYPED_CODE:
            raise serializers.ValidationError({"code": [lookup.message]}, code=lookup.error)
        answer = status.HTTP_429_TOO_MANY_REQUESTS if lookup.limited else status.HTTP_404_NOT_FOUND
        return Response({"detail": lookup.message, "code": lookup.error}, status=answer)
