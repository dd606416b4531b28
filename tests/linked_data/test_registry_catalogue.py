"""The national registry's mirror as CPSV-AP on the platform domain: every approved service,
its agency as the competent authority; valid against the shapes in JSON-LD and Turtle."""

from __future__ import annotations

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from registry.models import NationalService

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")


@pytest.mark.parametrize("path, rdf_format", [("/catalogue.jsonld", "json-ld"), ("/catalogue.ttl", "turtle")])
def test_the_mirror_is_valid_cpsv_ap(mirror, public_client, shacl_report, path, rdf_format):
    response = public_client.get(path)
    assert response.status_code == 200
    conforms, report, graph = shacl_report(response.content, rdf_format)
    assert conforms, report
    approved = set(NationalService.objects.filter(status="approved").values_list("service_id", flat=True))
    services = set(graph.subjects(RDF.type, CPSV.PublicService))
    assert {str(graph.value(s, DCTERMS.identifier)) for s in services} == approved
    one = NationalService.objects.filter(status="approved").order_by("service_id").first()
    node = URIRef(f"http://localhost:8000/registry/services/{one.service_id}")
    assert graph.value(node, DCTERMS.title) == Literal(one.title, lang="fa")
    assert graph.value(graph.value(node, CV.hasCompetentAuthority), SKOS.prefLabel) == Literal(one.agency_name, lang="fa")


def test_retired_services_are_not_published_and_a_nameless_agency_is_reported(mirror, public_client, shacl_report):
    retired, nameless = NationalService.objects.filter(status="approved").order_by("service_id")[:2]
    NationalService.objects.filter(pk=retired.pk).update(status="retired")
    NationalService.objects.filter(agency_code=nameless.agency_code).update(agency_name="")
    response = public_client.get("/catalogue.jsonld")
    conforms, report, graph = shacl_report(response.content, "json-ld")
    assert conforms, report
    identifiers = {str(graph.value(s, DCTERMS.identifier)) for s in graph.subjects(RDF.type, CPSV.PublicService)}
    assert retired.service_id not in identifiers and nameless.service_id not in identifiers
    assert f"{nameless.service_id}=authority_name_missing" in response["Mizban-Excluded-Services"]


def test_a_tenants_host_serves_its_own_catalogue_not_the_mirror(mirror, client_b, shacl_report):
    _conforms, _report, graph = shacl_report(client_b.get("/catalogue.jsonld").content, "json-ld")
    assert list(graph.subjects(RDF.type, CPSV.PublicService)) == []
