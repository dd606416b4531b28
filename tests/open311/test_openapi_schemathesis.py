"""The OpenAPI schema describes GeoReport v2's JSON endpoints, and schemathesis holds the
server to it: generated requests, valid and invalid, each answered without a server error,
with a documented status, content type and body. Bounded (a few dozen examples per
operation, derandomized) so that `make test` stays within its time."""

from __future__ import annotations

from contextlib import contextmanager

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance

EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _open311_schema(client):
    raw = client.get("/api/schema/", {"format": "json"}).json()
    raw["paths"] = {path: item for path, item in raw["paths"].items() if path.startswith("/open311/")}
    schema = schemathesis.openapi.from_dict(raw)
    # A NUL byte is refused before any view by lib/bad_input.py (an HTML 400 on every route,
    # tests/mizban/test_hostile_input.py): the schema speaks of what the views answer.
    schema.config.generation.update(allow_x00=False)
    return schema


def test_every_json_endpoint_is_in_the_schema(client_a):
    paths = client_a.get("/api/schema/", {"format": "json"}).json()["paths"]
    open311 = {path: sorted(item) for path, item in paths.items() if path.startswith("/open311/")}
    assert open311 == {
        "/open311/v2/discovery.json": ["get"], "/open311/v2/services.json": ["get"],
        "/open311/v2/services/{service_code}.json": ["get"], "/open311/v2/requests.json": ["get", "post"],
        "/open311/v2/requests/{request_id}.json": ["get"], "/open311/v2/tokens/{token}.json": ["get"],
    }


@contextmanager
def _in_the_tests_transaction():
    """Django's WSGI application serves inside the test's transaction when, as Django's test
    client does around each request, the request signals do not close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_answer_outside_the_schema(key_a, submitted, client_a):
    _row, key = key_a
    app = get_wsgi_application()
    schema = _open311_schema(client_a)
    seen = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if mode is GenerationMode.POSITIVE and case.method == "POST" and isinstance(case.body, dict):
                    case.body["api_key"] = key  # the checks past the key, too
                with _in_the_tests_transaction():
                    response = case.call(app=app, base_url="http://alpha.localhost:8000")
                case.validate_response(response, checks=CHECKS)
                seen.setdefault(operation.label, set()).add(response.status_code)

            run()
    assert len(seen) == 7 and all(seen.values())
    assert 200 in seen["GET /open311/v2/requests.json"]
