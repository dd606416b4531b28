"""The 500 handler of both URL confs: a database that does not answer (PostgreSQL restarting,
a dropped connection) is an outage, not a bug, so it answers 503 with Retry-After, in Persian
(or as JSON under /api/), and the next request connects again. Every other error keeps
Django's 500 page (templates/500.html)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30
API_MESSAGE = "سامانه لحظاتی در دسترس نیست؛ کمی بعد دوباره تلاش کنید."


def server_error(request):
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": API_MESSAGE, "code": "service_unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("errors/database_down.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
