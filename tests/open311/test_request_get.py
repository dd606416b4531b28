"""GET /open311/v2/requests/{service_request_id}.{json,xml}: one request by its tracking code."""

from __future__ import annotations

from defusedxml import ElementTree

from tests.builders import NATIONAL_CODE


def test_one_request_in_json(submitted, client_a):
    response = client_a.get(f"/open311/v2/requests/{submitted.tracking_code}.json")
    [row] = response.json()
    assert response.status_code == 200 and row["service_request_id"] == submitted.tracking_code and row["status"] == "open"
    assert NATIONAL_CODE not in response.content.decode()


def test_one_request_in_xml(submitted, client_a):
    root = ElementTree.fromstring(client_a.get(f"/open311/v2/requests/{submitted.tracking_code}.xml").content)
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == submitted.tracking_code


def test_an_unknown_code_is_a_404(submitted, client_a):
    for code in ("1234567812345678", "not-a-code", "۱۲۳"):
        response = client_a.get(f"/open311/v2/requests/{code}.json")
        assert response.status_code == 404 and response.json()[0]["error_code"] == "not_found"
    xml = client_a.get("/open311/v2/requests/1234567812345678.xml")
    assert xml.status_code == 404 and ElementTree.fromstring(xml.content).findtext("error/code") == "404"


def test_alphas_code_on_betas_host_is_a_404(submitted, client_b):
    response = client_b.get(f"/open311/v2/requests/{submitted.tracking_code}.json")
    assert response.status_code == 404 and "service_request_id" in response.json()[0]["description"]


def test_a_wrong_jurisdiction_is_refused(submitted, client_a):
    response = client_a.get(f"/open311/v2/requests/{submitted.tracking_code}.xml", {"jurisdiction_id": "x.example"})
    assert response.status_code == 404 and submitted.tracking_code not in response.content.decode()
