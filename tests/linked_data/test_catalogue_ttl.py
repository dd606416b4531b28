"""/catalogue.ttl on a tenant's host: the same catalogue in Turtle, valid against the shapes."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

CPSV = Namespace("http://purl.org/vocab/cpsv#")


def test_the_turtle_is_valid_and_the_same_graph_as_the_jsonld(alpha_catalog, client_a, shacl_report):
    response = client_a.get("/catalogue.ttl")
    assert response.status_code == 200 and response["Content-Type"] == "text/turtle; charset=utf-8"
    conforms, report, graph = shacl_report(response.content, "turtle")
    assert conforms, report
    assert len(set(graph.subjects(RDF.type, CPSV.PublicService))) == int(response["Mizban-Exported-Services"]) > 0
    assert isomorphic(graph, Graph().parse(data=client_a.get("/catalogue.jsonld").content, format="json-ld"))


def test_a_tenant_without_cards_publishes_an_empty_valid_catalogue(client_b, shacl_report):
    response = client_b.get("/catalogue.ttl")
    conforms, report, graph = shacl_report(response.content, "turtle")
    assert response.status_code == 200 and conforms, report
    assert list(graph.subjects(RDF.type, CPSV.PublicService)) == []
