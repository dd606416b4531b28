"""Hostile input answers 400 or 404, never 500: every URL pattern of both URL confs, walked
from the resolver (so a new route is covered without editing this test), each path value and
query parameter filled with NUL, 10,000 characters, Persian text, `../`, SQL and markup, asked
anonymously and signed in (the tenant's admin on its host, the vendor on the platform's)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django_tenants.utils import schema_context

from accounts.models import User
from tests.builders import ALPHA, SESSION_TENANTS, VENDOR_EMAIL
from tests.url_walk import Parameter, fill, routes

HOSTILE = ["\x00", "x" * 10_000, "درخواست پروانه", "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>"]

# Values that a converter or a group accepts, so the view behind it runs too (with a hostile query).
RESOLVING = ["1", "9" * 25, str(uuid.uuid4()), "alpha", "json", ".json", "csv", "a" * 10_000]

# Query parameters the views read; those named in the source (`GET.get("x")`, `params.get("x")`,
# `GET["x"]`) are added below, so a new one is covered too.
QUERY_KEYS = {"q", "service", "page", "unit", "status", "stage", "from", "to", "year", "month", "next"}
APP_FOLDERS = ["accounts", "billing", "catalog", "insights", "intake", "notifications", "portal_themes", "registry", "tenants", "mizban", "lib"]
_QUERY_READ = re.compile(r"""(?:GET|query_params|params)(?:\.get\(|\[)\s*["']([\w-]+)["']""")

ROOT = Path(__file__).resolve().parents[2]


def _query_keys() -> list[str]:
    keys = set(QUERY_KEYS)
    for folder in APP_FOLDERS:
        for source in (ROOT / folder).rglob("*.py"):
            keys.update(_QUERY_READ.findall(source.read_text()))
    return sorted(keys)


def _accepted(parameter: Parameter) -> str:
    """The first value that the parameter accepts: a resolving one, or the first of an alternation."""
    for value in RESOLVING:
        if re.fullmatch(parameter.regex, value):
            return value
    return parameter.regex.split("|")[0].strip("()")


def _requests(route: str, keys: list[str]) -> dict[str, str]:
    """Hostile paths with hostile queries, and an accepted path with each hostile query
    (URL: the hostile value, for the report)."""
    urls = {}
    for value in HOSTILE:
        query = "?" + urlencode({key: value for key in keys})
        urls.setdefault(fill(route, lambda parameter: value) + query, value)
        urls.setdefault(fill(route, _accepted) + query, value)
    return urls


def _server_errors(client: Client, urlconf: str) -> list[str]:
    keys = _query_keys()
    failures = []
    for route in routes(urlconf):
        for url, value in _requests(route, keys).items():
            # A failed query aborts the test's transaction: roll back to here, so one 500 does
            # not turn every later request into one.
            savepoint = transaction.savepoint()
            response = client.get(url)
            transaction.savepoint_rollback(savepoint)
            if response.status_code >= 500 and response.status_code != 503:  # 503: /healthz's "down"
                error = response.exc_info[1] if response.exc_info else None
                failures.append(f"{response.status_code} GET {url.split('?')[0][:100]} with {value[:30]!r}: {error!r:.200}")
    return failures


def _client(host: str) -> Client:
    return Client(HTTP_HOST=host, raise_request_exception=False)


def _signed_in(host: str, email: str, schema: str) -> Client:
    client = _client(host)
    with schema_context(schema):
        client.force_login(User.objects.get(email=email))
    return client


def test_every_route_is_reached_by_the_walk():
    """Each pattern gets at least one URL that resolves to it, so none is walked past unseen."""
    for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
        for route in routes(urlconf):
            url = fill(route, _accepted)
            try:
                resolved = resolve(url, urlconf=urlconf).route
            except Resolver404:
                resolved = None
            assert resolved == route, f"{urlconf}: the walk's URL {url[:80]!r} for {route!r} reached {resolved!r}"


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "tenant-admin"])
def test_no_route_of_a_tenant_host_answers_500_to_hostile_input(alpha_catalog, signed_in):
    host = "alpha.localhost"
    client = _signed_in(host, SESSION_TENANTS["alpha"]["admin_email"], ALPHA) if signed_in else _client(host)
    failures = _server_errors(client, settings.ROOT_URLCONF)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "vendor"])
def test_no_route_of_the_platform_host_answers_500_to_hostile_input(db, signed_in):
    host = settings.PLATFORM_DOMAIN
    client = _signed_in(host, VENDOR_EMAIL, "public") if signed_in else _client(host)
    failures = _server_errors(client, settings.PUBLIC_SCHEMA_URLCONF)
    assert not failures, "\n".join(failures)
