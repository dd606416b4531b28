"""Stored XSS on the service pages (issue 13): a tenant admin's common name, the registry's
approved title, stage and unit names and an uploaded BPMN's names reach the flowchart SVG and
the card as text, never as markup, on /services/<id>/, its card, the staff preview and the PDF."""

import pytest
from django_tenants.utils import schema_context

from catalog.bpmn import bpmn_from_stages, bpmn_print_html, bpmn_svg
from catalog.models import Service
from catalog.services import service_generate_external_bpmn
from tests.builders import SERVICE
from tests.markup import PAYLOADS, live_payload_markup, parsed

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _svg_label_and_texts(html: str) -> tuple[str, list[str]]:
    page = parsed(html)
    label = next(attrs["aria-label"] for tag, attrs in page.elements if tag == "svg" and "flowchart" in attrs.get("class", ""))
    return label, page.texts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_pages_keep_every_field_as_text(payload, alpha_catalog, tenant_a, admin_a, client_a):
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id=SERVICE)
        service.approved_title, service.common_name = f"عنوان {payload}", f"نام {payload}"
        service.save(update_fields=["approved_title", "common_name"])
        stage = service.stages.first()
        stage.name = f"مرحله {payload}"
        stage.save(update_fields=["name"])
        stage.unit.name = f"واحد {payload}"
        stage.unit.save(update_fields=["name"])
        service_generate_external_bpmn(service=service, actor="tests")

    for client, path in ((client_a, f"/services/{SERVICE}/"), (client_a, f"/services/{SERVICE}/card/"),
                         (admin_a, f"/staff/catalog/{SERVICE}/preview/")):
        html = client.get(path).content.decode()
        assert live_payload_markup(html) == [], path
        label, texts = _svg_label_and_texts(html)
        assert f"عنوان {payload} (نام {payload})" in label, path  # both titles reached the attribute, as text
        assert f"مرحله {payload}" in texts, path  # the stage's box in the SVG
    assert f"(واحد {payload})" in "".join(texts)  # the card's list of stages names the unit


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_uploaded_documents_names_stay_text_on_screen_and_in_print(payload):
    quoted = payload.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    xml = (f'<definitions xmlns="{BPMN_NS}"><process id="p"><startEvent id="s" name="{quoted}"/>'
           f'<exclusiveGateway id="g" name="{quoted}"/><task id="t" name="{quoted}"/>'
           '<sequenceFlow id="f1" sourceRef="s" targetRef="g"/><sequenceFlow id="f2" sourceRef="g" targetRef="t"/>'
           "</process></definitions>")
    svg = bpmn_svg(xml, title=payload)
    assert live_payload_markup(svg) == []
    assert parsed(svg).texts.count(payload) == 3
    printed = bpmn_print_html(xml)
    assert live_payload_markup(printed) == []
    assert parsed(printed).texts.count(payload) == 3


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_printed_flowchart_of_generated_stages_keeps_them_text(payload):
    printed = bpmn_print_html(bpmn_from_stages(payload, [payload, f"دوم {payload}"]))
    assert live_payload_markup(printed) == []
    assert payload in parsed(printed).texts and f"دوم {payload}" in parsed(printed).texts


def test_the_check_finds_what_the_old_escaping_let_through():
    """The helper itself: the attribute that xml.sax.saxutils.escape left open is found."""
    assert live_payload_markup(f'<svg aria-label="نمودار {PAYLOADS[0]}"></svg>') == ["<svg onload>", "<svg data-x>"]
    assert live_payload_markup(PAYLOADS[1]) == ["<script>xss()"]
    assert live_payload_markup(PAYLOADS[2]) == ["<img onerror>", "<img src=x>"]
