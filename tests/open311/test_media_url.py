"""media_url: off unless the operator allows hosts (OPEN311_MEDIA_HOSTS); from an allowed host
the document is fetched and checked as an upload is (type by content, size, count)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from intake.models import Attachment, ServiceRequest
from tests.builders import pdf_bytes


def _stored():
    with schema_context("t_alpha"):
        return list(ServiceRequest.objects.all()), list(Attachment.objects.all())


@pytest.fixture
def documents(httpserver, settings):
    """A local document host (a loopback HTTP server), allowed by its name, localhost (the
    same server as 127.0.0.1, which is not allowed: names are compared exactly)."""
    assert httpserver.host == "localhost"
    settings.OPEN311_MEDIA_HOSTS = ["localhost"]
    httpserver.expect_request("/plan.pdf").respond_with_data(pdf_bytes(), content_type="application/pdf")
    httpserver.expect_request("/page.html").respond_with_data("<html></html>", content_type="text/html")
    httpserver.expect_request("/big.pdf").respond_with_data(pdf_bytes(900 * 1024), content_type="application/pdf")
    httpserver.expect_request("/moved.pdf").respond_with_data("", status=302, headers={"Location": "http://10.0.0.1/x.pdf"})
    return httpserver


def test_off_by_default(key_a, open311_post, client_a, settings):
    _row, key = key_a
    assert settings.OPEN311_MEDIA_HOSTS == []
    response = client_a.post("/open311/v2/requests.json", open311_post(api_key=key, media_url="http://localhost/plan.pdf"))
    assert response.status_code == 400 and response.json()[0]["error_code"] == "media_url_off"
    assert _stored() == ([], [])


def test_a_document_from_an_allowed_host_is_attached(key_a, open311_post, client_a, documents):
    _row, key = key_a
    url = documents.url_for("/plan.pdf")
    response = client_a.post("/open311/v2/requests.json", open311_post(api_key=key, media_url=url))
    assert response.status_code == 201, response.content
    [request], [attachment] = _stored()
    assert attachment.request == request and attachment.content_type == "application/pdf" and attachment.display_name == "plan.pdf"


def test_another_host_or_scheme_is_refused_without_fetching(key_a, open311_post, client_a, documents):
    _row, key = key_a
    for url in (f"http://127.0.0.1:{documents.port}/plan.pdf", "file:///etc/passwd", "ftp://localhost/plan.pdf"):
        response = client_a.post("/open311/v2/requests.json", open311_post(api_key=key, media_url=url))
        assert response.status_code == 400 and response.json()[0]["error_code"] == "media_host_refused"
    assert documents.log == [] and _stored() == ([], [])


@pytest.mark.parametrize("path, error_code", [
    ("/page.html", "file_type_refused"), ("/big.pdf", "file_too_large"), ("/moved.pdf", "media_fetch_failed"), ("/missing.pdf", "media_fetch_failed"),
])
def test_what_an_upload_may_not_be_is_refused(key_a, open311_post, client_a, documents, path, error_code):
    _row, key = key_a
    url = documents.url_for(path)
    response = client_a.post("/open311/v2/requests.json", open311_post(api_key=key, media_url=url))
    assert response.status_code == 400 and error_code in [row["error_code"] for row in response.json()]
    assert all(row["description"].startswith("media_url:") for row in response.json())
    assert _stored() == ([], [])
