"""/catalogue.jsonld on a tenant's host: every published card as a cpsv:PublicService, valid
against CPSV-AP 3.2.0's SHACL shapes (pyshacl)."""

from __future__ import annotations

from django_tenants.utils import schema_context
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from catalog.models import Service
from tests.builders import SERVICE

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
PERMIT = URIRef(f"http://alpha.localhost:8000/services/{SERVICE}/")


def _published(schema="t_alpha"):
    with schema_context(schema):
        return set(Service.objects.filter(status="published").values_list("national_id", flat=True))


def test_the_catalogue_is_valid_cpsv_ap(alpha_catalog, client_a, shacl_report):
    response = client_a.get("/catalogue.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json; charset=utf-8"
    conforms, report, graph = shacl_report(response.content, "json-ld")
    assert conforms, report
    services = set(graph.subjects(RDF.type, CPSV.PublicService))
    assert {str(graph.value(s, DCTERMS.identifier)) for s in services} == _published()
    assert response["Mizban-Exported-Services"] == str(len(_published())) and response["Mizban-Excluded-Services"] == ""


def test_a_card_with_what_it_holds(alpha_catalog, client_a, shacl_report):
    _conforms, _report, graph = shacl_report(client_a.get("/catalogue.jsonld").content, "json-ld")
    with schema_context("t_alpha"):
        card = Service.objects.get(national_id=SERVICE)
        fees, laws, stages = list(card.fees.all()), list(card.laws.all()), list(card.stages.all())
        documents = card.document_lines()
    assert graph.value(PERMIT, DCTERMS.title) == Literal(card.title, lang="fa")
    assert graph.value(PERMIT, DCTERMS.description).language == "fa"
    authority = graph.value(PERMIT, CV.hasCompetentAuthority)
    assert (authority, RDF.type, CV.PublicOrganisation) in graph
    assert graph.value(authority, SKOS.prefLabel) == Literal("شهرداری آلفا", lang="fa")
    assert graph.value(authority, DCTERMS.spatial) is not None
    assert graph.value(PERMIT, CV.processingTime) == Literal(f"P{card.average_days}D", datatype=DURATION)
    costs = list(graph.objects(PERMIT, CV.hasCost))
    assert sorted(graph.value(c, CV.hasValue).toPython() for c in costs) == sorted(float(f.amount_rial) for f in fees)
    assert {graph.value(c, CV.currency) for c in costs} == {URIRef("http://publications.europa.eu/resource/authority/currency/IRR")}
    assert {str(graph.value(e, DCTERMS.title)) for e in graph.objects(PERMIT, CPSV.hasInput)} == set(documents)
    assert {str(graph.value(law, DCTERMS.title)) for law in graph.objects(PERMIT, CV.hasLegalResource)} == {law.title for law in laws}
    assert all((law, RDF.type, ELI.LegalResource) in graph for law in graph.objects(PERMIT, CV.hasLegalResource))
    assert {str(graph.value(r, DCTERMS.title)) for r in graph.objects(PERMIT, CPSV.follows)} == {s.name for s in stages}
    assert list(graph.objects(PERMIT, CV.hasChannel)) and graph.value(PERMIT, CV.contactPoint) is not None


def test_a_card_that_cannot_be_exported_is_reported_not_dropped(alpha_catalog, client_a, shacl_report):
    with schema_context("t_alpha"):
        Service.objects.filter(national_id=SERVICE).update(description="")
    response = client_a.get("/catalogue.jsonld")
    conforms, report, graph = shacl_report(response.content, "json-ld")
    assert conforms, report
    assert response["Mizban-Excluded-Services"] == f"{SERVICE}=description_missing"
    assert response["Mizban-Exported-Services"] == str(len(_published()) - 1)
    assert (PERMIT, RDF.type, CPSV.PublicService) not in graph


def test_draft_cards_are_not_published_and_tenants_stay_apart(alpha_catalog, client_a, client_b, shacl_report):
    with schema_context("t_alpha"):
        Service.objects.filter(national_id=SERVICE).update(status="draft")
    _conforms, _report, graph = shacl_report(client_a.get("/catalogue.jsonld").content, "json-ld")
    assert (PERMIT, RDF.type, CPSV.PublicService) not in graph
    beta = client_b.get("/catalogue.jsonld")
    conforms, report, beta_graph = shacl_report(beta.content, "json-ld")
    assert conforms, report
    assert list(beta_graph.subjects(RDF.type, CPSV.PublicService)) == [] and b"alpha" not in beta.content
