"""GET /open311/v2/discovery.{json,xml}: where the endpoint is, its formats, where keys come from."""

from __future__ import annotations

from defusedxml import ElementTree


def test_discovery_in_json(client_a):
    response = client_a.get("/open311/v2/discovery.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    [endpoint] = body["endpoints"]
    assert endpoint["url"] == "http://alpha.localhost:8000/open311/v2/" and endpoint["type"] == "production"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert body["key_service"].endswith("/staff/api-keys/") and "شهرداری آلفا" in body["contact"]
    assert body["changeset"].endswith("+03:30")


def test_discovery_in_xml(client_a):
    response = client_a.get("/open311/v2/discovery.xml")
    assert response.status_code == 200 and response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "http://alpha.localhost:8000/open311/v2/"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


def test_the_tenants_own_domain_is_its_jurisdiction(client_a):
    assert client_a.get("/open311/v2/discovery.json", {"jurisdiction_id": "alpha.localhost"}).status_code == 200


def test_another_jurisdiction_is_a_404_in_the_specs_format(client_a):
    response = client_a.get("/open311/v2/discovery.json", {"jurisdiction_id": "beta.localhost"})
    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and error["error_code"] == "jurisdiction_unknown" and "jurisdiction_id" in error["description"]
    xml = client_a.get("/open311/v2/discovery.xml", {"jurisdiction_id": "beta.localhost"})
    root = ElementTree.fromstring(xml.content)
    assert xml.status_code == 404 and root.tag == "errors" and root.findtext("error/code") == "404"


def test_a_wrong_method_is_a_405_in_the_specs_format(client_a):
    response = client_a.post("/open311/v2/discovery.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405 and "GET" in response["Allow"]
