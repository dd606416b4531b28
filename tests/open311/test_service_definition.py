"""GET /open311/v2/services/{service_code}.{json,xml}: a card's attributes, generated from
the fields the wizard asks beyond GeoReport v2's own (the applicant's, the unit, a visit)."""

from __future__ import annotations

from defusedxml import ElementTree
from django_tenants.utils import schema_context

from catalog.models import Service
from tests.builders import SERVICE


def test_the_definition_in_json(alpha_catalog, client_a):
    response = client_a.get(f"/open311/v2/services/{SERVICE}.json")
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == SERVICE
    attributes = {a["code"]: a for a in body["attributes"]}
    assert [a["order"] for a in body["attributes"]] == list(range(1, len(body["attributes"]) + 1))
    assert attributes["national_code"]["required"] is True and attributes["national_code"]["datatype"] == "string"
    assert attributes["applicant_kind"]["datatype"] == "singlevaluelist"
    assert [v["key"] for v in attributes["applicant_kind"]["values"]] == ["natural", "legal"]
    assert attributes["visit_date"]["datatype"] == "datetime" and attributes["applicant_address"]["datatype"] == "text"
    with schema_context(alpha_catalog.schema_name):
        units = [(str(u.pk), u.name) for u in Service.objects.get(national_id=SERVICE).units.order_by("order", "id")]
    assert [(v["key"], v["name"]) for v in attributes["unit"]["values"]] == units
    assert all(a["variable"] is True for a in body["attributes"])


def test_the_definition_in_xml(alpha_catalog, client_a):
    root = ElementTree.fromstring(client_a.get(f"/open311/v2/services/{SERVICE}.xml").content)
    assert root.tag == "service_definition" and root.findtext("service_code") == SERVICE
    national = next(a for a in root.findall("attributes/attribute") if a.findtext("code") == "national_code")
    assert national.findtext("required") == "true" and national.findtext("order") == "1"
    kind = next(a for a in root.findall("attributes/attribute") if a.findtext("code") == "applicant_kind")
    assert [v.findtext("key") for v in kind.findall("values/value")] == ["natural", "legal"]


def test_an_unknown_or_draft_service_is_a_404(alpha_catalog, client_a):
    with schema_context(alpha_catalog.schema_name):
        Service.objects.filter(national_id=SERVICE).update(status="draft")
    for code in (SERVICE, "99999999999", "<script>"):
        response = client_a.get(f"/open311/v2/services/{code}.json")
        assert response.status_code == 404 and response.json()[0]["error_code"] == "not_found"
    xml = client_a.get(f"/open311/v2/services/{SERVICE}.xml")
    assert xml.status_code == 404 and ElementTree.fromstring(xml.content).tag == "errors"


def test_another_tenants_service_is_a_404_there(alpha_catalog, client_b):
    assert client_b.get(f"/open311/v2/services/{SERVICE}.json").status_code == 404


def test_a_wrong_jurisdiction_is_refused(alpha_catalog, client_a):
    assert client_a.get(f"/open311/v2/services/{SERVICE}.json", {"jurisdiction_id": "beta.localhost"}).status_code == 404
