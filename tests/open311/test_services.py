"""GET /open311/v2/services.{json,xml}: the cards that take requests online, as GeoReport v2
services (the national service ID is the service_code)."""

from __future__ import annotations

from defusedxml import ElementTree
from django_tenants.utils import schema_context

from catalog.models import Service
from tests.builders import SERVICE


def _published_online(schema="t_alpha"):
    with schema_context(schema):
        return set(Service.objects.filter(status="published", online_request=True).values_list("national_id", flat=True))


def test_services_in_json_are_the_published_online_cards(alpha_catalog, client_a):
    with schema_context(alpha_catalog.schema_name):
        Service.objects.filter(national_id=SERVICE).update(online_request=False)
        permit = Service.objects.exclude(national_id=SERVICE).filter(status="published").first()
    body = client_a.get("/open311/v2/services.json").json()
    assert {row["service_code"] for row in body} == _published_online() and SERVICE not in {r["service_code"] for r in body}
    row = next(r for r in body if r["service_code"] == permit.national_id)
    assert row["service_name"] == permit.title and row["metadata"] is True and row["type"] == "realtime"
    assert row["group"]  # the first unit that offers it


def test_services_in_xml(alpha_catalog, client_a):
    response = client_a.get("/open311/v2/services.xml")
    root = ElementTree.fromstring(response.content)
    assert response.status_code == 200 and root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == _published_online()
    assert {s.findtext("metadata") for s in root.findall("service")} == {"true"}


def test_a_tenant_lists_only_its_own_services(alpha_catalog, client_b):
    assert client_b.get("/open311/v2/services.json").json() == []


def test_a_wrong_jurisdiction_is_refused(alpha_catalog, client_a):
    response = client_a.get("/open311/v2/services.xml", {"jurisdiction_id": "nowhere.example"})
    assert response.status_code == 404 and ElementTree.fromstring(response.content).findtext("error/code") == "404"
