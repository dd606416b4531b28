"""A NUL byte in the path, the query or a form value is answered 400 with a Persian page before
any view runs (PostgreSQL cannot store or compare NUL in text)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.builders import pdf_bytes

# The seven URLs that answered 500 (issue 13, item 9).
NUL_URLS = [
    "/services/?q=%00", "/services/%00/", "/letters/verify/%00/", "/survey/%00/",
    "/requests/new/?service=%00", "/api/catalog/services/%00/", "/staff/requests/?q=%00",
]


def _client(host="alpha.localhost"):
    return Client(HTTP_HOST=host, raise_request_exception=False)


def _is_bad_request_page(response) -> bool:
    return response.status_code == 400 and "این درخواست را نمی‌توان پذیرفت" in response.content.decode()


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_the_path_or_query_is_a_bad_request(alpha_catalog, url):
    assert _is_bad_request_page(_client().get(url))


def test_a_nul_byte_in_a_query_key_or_on_the_platform_host_too(db, settings):
    assert _is_bad_request_page(_client().get("/services/?a%00b=1"))
    assert _is_bad_request_page(_client(settings.PLATFORM_DOMAIN).get("/?q=%00"))


def test_a_nul_byte_in_a_form_value_is_a_bad_request(tenant_a):
    assert _is_bad_request_page(_client().post("/track/", {"code": "12\x0034", "identity": "0012345678"}))
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    assert _is_bad_request_page(_client().post("/api/requests/", {"service": "\x00", "files": upload}))


def test_a_nul_byte_in_json_is_refused_by_the_api(tenant_a):
    response = _client().post("/api/requests/track/", {"code": "12\x0034", "identity": "0012345678"}, content_type="application/json")
    assert response.status_code in (400, 404)


def test_ordinary_input_passes(alpha_catalog):
    assert _client().get("/services/?q=پروانه").status_code == 200
    assert _client().post("/track/", {"code": "1234", "identity": "0012345678"}).status_code == 200
