"""A catalogue as CPSV-AP 3.2.0: every published card of a tenant (or every approved service
of the national registry's mirror) as a `cpsv:PublicService`, in an rdflib graph.

Each service is built into a graph of its own and checked for what CPSV-AP's shapes require
(identifier, Persian title and description, competent authority, each part's identifier and
title) before it joins the catalogue; one that cannot be exported validly is left out and
reported with its reasons (`Excluded`), never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from catalog.models import Service, http_href
from catalog.selectors import published_services
from registry.models import NationalService
from tenants.models import Tenant

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
IRR = URIRef("http://publications.europa.eu/resource/authority/currency/IRR")
IRAN = URIRef("http://publications.europa.eu/resource/authority/country/IRN")
FA = "fa"
UNSAFE_IRI = re.compile(r'[\s<>"{}|\\^`]')

CONTEXT = {
    "cpsv": str(CPSV), "cv": str(CV), "dct": str(DCTERMS), "skos": str(SKOS), "eli": str(ELI),
    "locn": str(LOCN), "xsd": str(XSD),
}


@dataclass(frozen=True)
class Excluded:
    """A service left out of the export, with why (stable codes, e.g. description_missing)."""

    national_id: str
    title: str
    reasons: tuple[str, ...]


@dataclass
class Catalogue:
    graph: Graph
    exported: int = 0
    excluded: list[Excluded] = field(default_factory=list)

    def jsonld(self) -> str:
        return self.graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, Namespace(namespace))
    return graph


def _fa(text: str) -> Literal:
    return Literal(text.strip(), lang=FA)


def _organisation(graph: Graph, node: URIRef, *, label: str, area: str, area_node: URIRef | None = None) -> list[str]:
    """A public organisation with its Persian name and the area it serves (dct:spatial)."""
    if not label.strip():
        return ["authority_name_missing"]
    graph.add((node, RDF.type, CV.PublicOrganisation))
    graph.add((node, SKOS.prefLabel, _fa(label)))
    spatial = area_node or URIRef(f"{node}-area")
    graph.add((node, DCTERMS.spatial, spatial))
    graph.add((spatial, RDF.type, DCTERMS.Location))
    if area.strip():
        graph.add((spatial, LOCN.geographicName, _fa(area)))
    return []


def _service_core(graph: Graph, node: URIRef, *, identifier: str, title: str, description: str, authority: URIRef) -> list[str]:
    reasons = []
    graph.add((node, RDF.type, CPSV.PublicService))
    graph.add((node, DCTERMS.identifier, Literal(identifier)))
    if title.strip():
        graph.add((node, DCTERMS.title, _fa(title)))
    else:
        reasons.append("title_missing")
    if description.strip():
        graph.add((node, DCTERMS.description, _fa(description)))
    else:
        reasons.append("description_missing")
    graph.add((node, CV.hasCompetentAuthority, authority))
    return reasons


# --- A tenant's catalogue ---------------------------------------------------------------------


def _tenant_area(tenant: Tenant) -> str:
    parts = [f"استان {tenant.province.name}"] + ([f"شهرستان {tenant.county}"] if tenant.county else [])
    return "، ".join(parts)


def _card_parts(graph: Graph, node: URIRef, card: Service) -> None:
    """What the card holds beyond the core: channels, fees, documents, laws, time, contact, stages."""
    for code, label, value in card.channels():
        channel = URIRef(f"{node}#channel-{code}")
        graph.add((node, CV.hasChannel, channel))
        graph.add((channel, RDF.type, CV.Channel))
        graph.add((channel, DCTERMS.identifier, Literal(f"{card.national_id}-{code}")))
        graph.add((channel, DCTERMS.description, _fa(f"{label}: {value}" if value else label)))
    for number, fee in enumerate(card.fees.all(), start=1):
        cost = URIRef(f"{node}#cost-{number}")
        graph.add((node, CV.hasCost, cost))
        graph.add((cost, RDF.type, CV.Cost))
        graph.add((cost, DCTERMS.identifier, Literal(f"{card.national_id}-cost-{number}")))
        graph.add((cost, CV.hasValue, Literal(float(fee.amount_rial), datatype=XSD.double)))
        graph.add((cost, CV.currency, IRR))
        graph.add((cost, DCTERMS.description, _fa(fee.title)))
    graph.add((IRR, RDF.type, SKOS.Concept))
    graph.add((IRR, SKOS.prefLabel, _fa("ریال ایران")))
    for number, line in enumerate(card.document_lines(), start=1):
        evidence = URIRef(f"{node}#evidence-{number}")
        graph.add((node, CPSV.hasInput, evidence))
        graph.add((evidence, RDF.type, CV.Evidence))
        graph.add((evidence, DCTERMS.identifier, Literal(f"{card.national_id}-evidence-{number}")))
        graph.add((evidence, DCTERMS.title, _fa(line)))
    for number, law in enumerate(card.laws.all(), start=1):
        link = http_href(law.url)
        legal = URIRef(link) if link and not UNSAFE_IRI.search(link) else URIRef(f"{node}#law-{number}")
        graph.add((node, CV.hasLegalResource, legal))
        graph.add((legal, RDF.type, ELI.LegalResource))
        graph.add((legal, DCTERMS.title, _fa(law.title)))
    if card.is_instant:
        graph.add((node, CV.processingTime, Literal("PT0S", datatype=XSD.duration)))
    elif card.average_days:
        graph.add((node, CV.processingTime, Literal(f"P{card.average_days}D", datatype=XSD.duration)))
    _contact_point(graph, node, card)
    for stage in card.stages.all():
        rule = URIRef(f"{node}#stage-{stage.order}")
        graph.add((node, CPSV.follows, rule))
        graph.add((rule, RDF.type, CPSV.Rule))
        graph.add((rule, DCTERMS.identifier, Literal(f"{card.national_id}-stage-{stage.order}")))
        graph.add((rule, DCTERMS.title, _fa(stage.name)))
        graph.add((rule, DCTERMS.description, _fa(f"مرحله {stage.order} فرایند: {stage.name} (مدت هدف {stage.target_days} روز کاری)")))


def _contact_point(graph: Graph, node: URIRef, card: Service) -> None:
    """The responsible unit (its name, phone and hours) and officer, as one contact point."""
    unit = next(iter(card.units.all()), None)
    if unit is None and not card.responsible_phone:
        return
    contact = URIRef(f"{node}#contact")
    graph.add((node, CV.contactPoint, contact))
    graph.add((contact, RDF.type, CV.ContactPoint))
    if unit is not None:
        graph.add((contact, SKOS.prefLabel, _fa(unit.name)))
    phone = card.responsible_phone or (unit.phone if unit else "")
    if phone:
        graph.add((contact, CV.telephone, Literal(phone)))
    if card.responsible_name:
        graph.add((contact, DCTERMS.description, _fa(f"{card.responsible_name} — {card.responsible_position}".strip(" —"))))


def tenant_catalogue(tenant: Tenant) -> Catalogue:
    """The tenant's published cards, on its own host's URIs (the service pages)."""
    base = tenant.portal_url.rstrip("/")
    catalogue = Catalogue(_graph())
    authority = URIRef(f"{base}/#organisation")
    problems = _organisation(catalogue.graph, authority, label=tenant.name, area=_tenant_area(tenant))
    cards = (published_services().prefetch_related("fees", "laws", "stages", "units")
             .order_by("order", "national_id"))
    for card in cards:
        graph = _graph()
        node = URIRef(f"{base}/services/{quote(card.national_id)}/")
        reasons = problems + _service_core(graph, node, identifier=card.national_id, title=card.title,
                                           description=card.description, authority=authority)
        _card_parts(graph, node, card)
        _admit(catalogue, graph, card.national_id, card.title, reasons)
    return catalogue


def _admit(catalogue: Catalogue, graph: Graph, national_id: str, title: str, reasons: list[str]) -> None:
    if reasons:
        catalogue.excluded.append(Excluded(national_id, title, tuple(reasons)))
    else:
        catalogue.graph += graph
        catalogue.exported += 1


# --- The national registry's mirror ------------------------------------------------------------


def _registry_description(service: NationalService) -> str:
    """The registry holds no description of its own: say in words what it does hold."""
    kinds = "، ".join(str(NationalService.Type(t).label) for t in service.service_types if t in NationalService.Type.values)
    text = f"خدمت مصوب «{service.title}» از {service.agency_name}، با شناسه ملی {service.service_id}"
    return f"{text}؛ {kinds}." if kinds else f"{text}."


def registry_catalogue(base_url: str) -> Catalogue:
    """Every approved service of the mirror, under the platform's host, each with its agency as
    the competent authority (serving the whole country)."""
    base = base_url.rstrip("/")
    catalogue = Catalogue(_graph())
    agencies: dict[str, URIRef] = {}
    for service in NationalService.objects.filter(status=NationalService.Status.APPROVED).order_by("service_id").iterator(chunk_size=2000):
        graph = _graph()
        node = URIRef(f"{base}/registry/services/{quote(service.service_id)}")
        authority = agencies.get(service.agency_code)
        reasons = []
        if authority is None:
            authority = URIRef(f"{base}/registry/agencies/{quote(service.agency_code or 'unknown')}")
            reasons = _organisation(graph, authority, label=service.agency_name, area="ایران", area_node=IRAN)
            if not reasons:
                agencies[service.agency_code] = authority
        reasons += _service_core(graph, node, identifier=service.service_id, title=service.title,
                                 description=_registry_description(service), authority=authority)
        _admit(catalogue, graph, service.service_id, service.title, reasons)
    return catalogue

