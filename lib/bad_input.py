"""Requests that no view can serve: a NUL byte in the path, the query or a form value.

PostgreSQL cannot store or even compare NUL in text, so such a value reaching a query raises
(a 500) wherever a view looks it up or saves it. No person types one: answer 400 before any
view runs, with a Persian page, instead of guarding every view.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

NUL = "\x00"


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return HttpResponseBadRequest(render_to_string("errors/bad_request.html"))
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if NUL in request.path or _any_nul(request.GET):
        return True
    if request.method != "POST":
        return False
    try:
        return _any_nul(request.POST)  # Django's parser already drops NUL from uploads' names
    except MultiPartParserError:
        return False  # the view's own parser refuses it (DRF answers 400), as before


def _any_nul(values) -> bool:
    return any(NUL in key or any(NUL in value for value in values.getlist(key)) for key in values)
