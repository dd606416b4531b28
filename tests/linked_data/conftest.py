"""CPSV-AP's shapes (tests/linked_data/data/, CC BY 4.0) and a validator over them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph

SHAPES = Path(__file__).parent / "data" / "cpsv-ap-SHACL.ttl"


@pytest.fixture(scope="session")
def cpsv_shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture
def shacl_report(cpsv_shapes):
    """(conforms, report text) of an RDF document against CPSV-AP 3.2.0's shapes."""

    def check(body: bytes, rdf_format: str) -> tuple[bool, str, Graph]:
        data = Graph().parse(data=body, format=rdf_format)
        conforms, _graph, text = validate(data, shacl_graph=cpsv_shapes, inference="none", abort_on_first=False)
        return conforms, text, data

    return check
