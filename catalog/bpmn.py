"""BPMN 2.0 for a service's processes: check an uploaded file, generate one from the workflow's
stages, and draw a process as an SVG flowchart, left to right, on the server (no CDN)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NODE_TAGS = {
    "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event", "intermediateThrowEvent": "event",
    "task": "task", "userTask": "task", "serviceTask": "task", "manualTask": "task", "sendTask": "task",
    "receiveTask": "task", "scriptTask": "task", "businessRuleTask": "task", "subProcess": "task", "callActivity": "task",
    "exclusiveGateway": "gateway", "parallelGateway": "gateway", "inclusiveGateway": "gateway", "eventBasedGateway": "gateway",
}
MAX_NODES = 200


@dataclass
class Process:
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (shape, name)
    flows: list[tuple[str, str]] = field(default_factory=list)


def bpmn_parse(xml: str) -> Process:
    """The first process of a BPMN 2.0 document, or a Persian ValidationError."""
    try:
        root = ElementTree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
    except Exception as error:
        raise ValidationError(_("پرونده BPMN یک XML درست نیست.")) from error
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise ValidationError(_("پرونده باید یک سند BPMN 2.0 با ریشه definitions باشد."))
    process_element = root.find(f"{{{BPMN_NS}}}process")
    if process_element is None:
        raise ValidationError(_("سند BPMN هیچ فرآیندی (process) ندارد."))
    process = Process()
    for element in process_element:
        tag = element.tag.split("}")[-1]
        if tag in NODE_TAGS:
            process.nodes[element.get("id")] = (NODE_TAGS[tag], element.get("name") or "")
        elif tag == "sequenceFlow":
            process.flows.append((element.get("sourceRef"), element.get("targetRef")))
    if not process.nodes:
        raise ValidationError(_("فرآیند BPMN هیچ رویداد یا فعالیتی ندارد."))
    if len(process.nodes) > MAX_NODES:
        raise ValidationError(_("فرآیند BPMN بیش از اندازه بزرگ است."))
    unknown = [ref for flow in process.flows for ref in flow if ref not in process.nodes]
    if unknown:
        raise ValidationError(_("جریان‌های فرآیند به گره‌های ناموجود اشاره می‌کنند: %(refs)s") % {"refs": ", ".join(unknown[:3])})
    return process


def bpmn_clean(xml: str) -> str:
    """Validate an uploaded document and return it as text."""
    if isinstance(xml, bytes):
        try:
            xml = xml.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(_("پرونده BPMN باید با UTF-8 نوشته شده باشد.")) from error
    bpmn_parse(xml)
    return xml


def bpmn_from_stages(title: str, stage_names: list[str]) -> str:
    """A start event, one user task per stage and an end event, with diagram coordinates."""
    ids = ["start"] + [f"stage_{i}" for i in range(1, len(stage_names) + 1)] + ["end"]
    names = ["ثبت درخواست"] + stage_names + ["دریافت پاسخ"]
    elements, shapes, edges = [], [], []
    x = 40
    for index, (node_id, name) in enumerate(zip(ids, names)):
        tag = "startEvent" if index == 0 else "endEvent" if index == len(ids) - 1 else "userTask"
        elements.append(f'<bpmn:{tag} id="{node_id}" name="{escape(name, {chr(34): "&quot;"})}"/>')
        width, height = (36, 36) if tag != "userTask" else (120, 70)
        y = 100 - height // 2
        shapes.append(f'<bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}"><dc:Bounds x="{x}" y="{y}" width="{width}" height="{height}"/></bpmndi:BPMNShape>')
        x += width + 50
    for source, target in zip(ids, ids[1:]):
        elements.append(f'<bpmn:sequenceFlow id="flow_{source}_{target}" sourceRef="{source}" targetRef="{target}"/>')
        edges.append(f'<bpmndi:BPMNEdge id="flow_{source}_{target}_di" bpmnElement="flow_{source}_{target}"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="definitions" targetNamespace="https://mizban.ir/bpmn">'
        f'<bpmn:process id="external" name="{escape(title, {chr(34): "&quot;"})}" isExecutable="false">'
        + "".join(elements)
        + '</bpmn:process><bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="external">'
        + "".join(shapes) + "".join(edges)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    )


def _layers(process: Process) -> dict[str, int]:
    """Column of each node: its longest distance from a start (cycles are cut)."""
    layer = {node: 0 for node in process.nodes}
    for _round in range(len(process.nodes)):
        moved = False
        for source, target in process.flows:
            if layer[target] < layer[source] + 1 <= len(process.nodes):
                layer[target] = layer[source] + 1
                moved = True
        if not moved:
            break
    return layer


def bpmn_svg(xml: str, *, title: str = "") -> str:
    """The process as an accessible SVG: shapes in columns, arrows between them."""
    process = bpmn_parse(xml)
    layer = _layers(process)
    columns: dict[int, list[str]] = {}
    for node in process.nodes:
        columns.setdefault(layer[node], []).append(node)
    col_width, row_height, box_w, box_h = 170, 110, 130, 64
    position = {}
    for column, members in columns.items():
        for row, node in enumerate(members):
            position[node] = (30 + column * col_width, 30 + row * row_height)
    width = 30 + (max(columns) + 1) * col_width
    height = 30 + max(len(m) for m in columns.values()) * row_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("نمودار مراحل دریافت خدمت"))} {escape(title)}" direction="ltr">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    for source, target in process.flows:
        (x1, y1), (x2, y2) = position[source], position[target]
        parts.append(
            f'<line x1="{x1 + box_w}" y1="{y1 + box_h / 2}" x2="{x2}" y2="{y2 + box_h / 2}" stroke="#444" stroke-width="2" marker-end="url(#arrow)"/>'
        )
    for node, (shape, name) in process.nodes.items():
        x, y = position[node]
        cx, cy = x + box_w / 2, y + box_h / 2
        if shape == "event":
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="26" fill="#fff" stroke="#0f5e9c" stroke-width="3"/>')
        elif shape == "gateway":
            parts.append(f'<polygon points="{cx},{y} {x + box_w},{cy} {cx},{y + box_h} {x},{cy}" fill="#fff7e0" stroke="#8a5a00" stroke-width="2"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="10" fill="#eef4fb" stroke="#0f5e9c" stroke-width="2"/>')
        label = escape(name)
        label_y = cy + 4 if shape != "event" else y + box_h + 16
        parts.append(f'<text x="{cx}" y="{label_y}" text-anchor="middle" font-size="13" direction="rtl" fill="#1d2330">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
