"""BPMN 2.0 for a service's processes: check an uploaded file, generate one from the workflow's
stages, and draw a process as an SVG flowchart, left to right, on the server (no CDN)."""

from __future__ import annotations

from dataclasses import dataclass, field

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from catalog import error_codes

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NODE_TAGS = {
    "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event", "intermediateThrowEvent": "event",
    "task": "task", "userTask": "task", "serviceTask": "task", "manualTask": "task", "sendTask": "task",
    "receiveTask": "task", "scriptTask": "task", "businessRuleTask": "task", "subProcess": "task", "callActivity": "task",
    "exclusiveGateway": "gateway", "parallelGateway": "gateway", "inclusiveGateway": "gateway", "eventBasedGateway": "gateway",
}
MAX_NODES = 200


def _joined(parts) -> SafeString:
    """The parts as one piece of markup: each is escaped unless format_html already built it
    (it escapes every value it puts in), so nothing here is marked safe on trust."""
    return mark_safe("".join(conditional_escape(part) for part in parts))


@dataclass
class Process:
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (shape, name)
    flows: list[tuple[str, str]] = field(default_factory=list)


def bpmn_parse(xml: str) -> Process:
    """The first process of a BPMN 2.0 document, or a Persian ValidationError."""
    try:
        root = ElementTree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
    except Exception as error:
        raise ValidationError(_("پرونده BPMN یک XML درست نیست."), code=error_codes.BPMN_NOT_XML) from error
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise ValidationError(_("پرونده باید یک سند BPMN 2.0 با ریشه definitions باشد."), code=error_codes.BPMN_NOT_DEFINITIONS)
    process_element = root.find(f"{{{BPMN_NS}}}process")
    if process_element is None:
        raise ValidationError(_("سند BPMN هیچ فرآیندی (process) ندارد."), code=error_codes.BPMN_NO_PROCESS)
    process = Process()
    for element in process_element:
        tag = element.tag.split("}")[-1]
        if tag in NODE_TAGS:
            process.nodes[element.get("id")] = (NODE_TAGS[tag], element.get("name") or "")
        elif tag == "sequenceFlow":
            process.flows.append((element.get("sourceRef"), element.get("targetRef")))
    if not process.nodes:
        raise ValidationError(_("فرآیند BPMN هیچ رویداد یا فعالیتی ندارد."), code=error_codes.BPMN_EMPTY_PROCESS)
    if len(process.nodes) > MAX_NODES:
        raise ValidationError(_("فرآیند BPMN بیش از اندازه بزرگ است."), code=error_codes.BPMN_TOO_LARGE)
    unknown = [ref for flow in process.flows for ref in flow if ref not in process.nodes]
    if unknown:
        raise ValidationError(_("جریان‌های فرآیند به گره‌های ناموجود اشاره می‌کنند: %(refs)s") % {"refs": ", ".join(unknown[:3])}, code=error_codes.BPMN_UNKNOWN_NODES)
    return process


def bpmn_clean(xml: str) -> str:
    """Validate an uploaded document and return it as text."""
    if isinstance(xml, bytes):
        try:
            xml = xml.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(_("پرونده BPMN باید با UTF-8 نوشته شده باشد."), code=error_codes.BPMN_NOT_UTF8) from error
    bpmn_parse(xml)
    return xml


def bpmn_from_stages(title: str, stage_names: list[str]) -> str:
    """A start event, one user task per stage and an end event, with diagram coordinates."""
    ids = ["start"] + [f"stage_{i}" for i in range(1, len(stage_names) + 1)] + ["end"]
    names = ["ثبت درخواست"] + stage_names + ["دریافت پاسخ"]
    elements, shapes, edges = [], [], []  # stored XML: escape() quotes both kinds of quote, as attributes need
    x = 40
    for index, (node_id, name) in enumerate(zip(ids, names)):
        tag = "startEvent" if index == 0 else "endEvent" if index == len(ids) - 1 else "userTask"
        elements.append(f'<bpmn:{tag} id="{node_id}" name="{escape(name)}"/>')
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
        f'<bpmn:process id="external" name="{escape(title)}" isExecutable="false">'
        + "".join(elements)
        + '</bpmn:process><bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="external">'
        + "".join(shapes) + "".join(edges)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    )


def _back_edges(process: Process) -> set[tuple[str, str]]:
    """The flows that close a loop (found depth first from the nodes in document order)."""
    following: dict[str, list[str]] = {}
    for source, target in process.flows:
        following.setdefault(source, []).append(target)
    state, back = {}, set()  # node -> 1 on the current path, 2 done
    for root in process.nodes:
        if root in state:
            continue
        state[root], stack = 1, [(root, iter(following.get(root, ())))]
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[node] = 2
                stack.pop()
            elif state.get(target) == 1:
                back.add((node, target))
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(following.get(target, ()))))
    return back


def _layers(process: Process) -> dict[str, int]:
    """Column of each node: its longest distance from a start, loops left out."""
    back = _back_edges(process)
    forward = [flow for flow in process.flows if flow not in back]
    layer = {node: 0 for node in process.nodes}
    for _round in range(len(process.nodes)):
        moved = False
        for source, target in forward:
            if layer[target] < layer[source] + 1:
                layer[target] = layer[source] + 1
                moved = True
        if not moved:
            break
    return layer


def _grid(process: Process) -> dict[str, tuple[int, int]]:
    """(column, row) of each node: columns left to right, rows in document order."""
    layer, rows, cells = _layers(process), {}, {}
    for node in process.nodes:
        cells[node] = (layer[node], rows.get(layer[node], 0))
        rows[layer[node]] = rows.get(layer[node], 0) + 1
    return cells


def bpmn_svg(xml: str, *, title: str = "") -> SafeString:
    """The process as an accessible SVG for the browser: shapes in columns, arrows between them.
    Safe to put in a page as it is: every name and the title go through format_html, which
    escapes quotes too (a title is a tenant's text and a node's name an uploaded file's)."""
    process = bpmn_parse(xml)
    cells = _grid(process)
    col_width, row_height, box_w, box_h = 170, 110, 130, 64
    position = {node: (30 + column * col_width, 30 + row * row_height) for node, (column, row) in cells.items()}
    width = 30 + (max(c for c, _ in cells.values()) + 1) * col_width
    height = 30 + (max(r for _, r in cells.values()) + 1) * row_height
    parts = [
        format_html('<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" viewBox="0 0 {} {}" role="img" '
                    'aria-label="{} {}" direction="ltr">', width, height, _("نمودار مراحل دریافت خدمت"), title),
        ARROW_MARKER,
    ]
    for source, target in process.flows:
        (x1, y1), (x2, y2) = position[source], position[target]
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444" stroke-width="2" marker-end="url(#arrow)"/>',
            x1 + box_w, y1 + box_h / 2, x2, y2 + box_h / 2,
        ))
    for node, (shape, name) in process.nodes.items():
        x, y = position[node]
        parts.append(_shape_svg(shape, x, y, box_w, box_h, radius=26))
        cx, cy = x + box_w / 2, y + box_h / 2
        label_y = cy + 4 if shape != "event" else y + box_h + 16
        parts.append(format_html('<text x="{}" y="{}" text-anchor="middle" font-size="13" direction="rtl" fill="#1d2330">{}</text>',
                                 cx, label_y, name))
    parts.append(mark_safe("</svg>"))
    return _joined(parts)


# A constant: no input reaches it.
ARROW_MARKER = mark_safe(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">'
    '<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>'
)


def _shape_svg(shape: str, x: float, y: float, w: float, h: float, *, radius: float) -> SafeString:
    cx, cy = x + w / 2, y + h / 2
    if shape == "event":
        return format_html('<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke="#0f5e9c" stroke-width="{}"/>',
                           cx, cy, radius, f"{radius / 9:.2f}")
    if shape == "gateway":
        return format_html('<polygon points="{},{} {},{} {},{} {},{}" fill="#fff7e0" stroke="#8a5a00" stroke-width="{}"/>',
                           cx, y, x + w, cy, cx, y + h, x, cy, f"{h / 32:.2f}")
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#eef4fb" stroke="#0f5e9c" stroke-width="{}"/>',
                       x, y, w, h, f"{h / 6:.2f}", f"{h / 32:.2f}")


# The printed flowchart, in millimetres. WeasyPrint draws SVG text glyph by glyph, without
# shaping or bidi (Persian comes out reversed and unjoined), so in a PDF the SVG holds only the
# shapes and arrows and each label is an HTML box laid over its shape, which Pango shapes.
# Columns still run left to right (seed 003); past PRINT_COLUMNS they wrap onto a new band.
PRINT_ARROW_MARKER = mark_safe(ARROW_MARKER.replace('markerWidth="8" markerHeight="8"', 'markerWidth="6" markerHeight="6"'))
PRINT_COLUMNS, COL_W, BOX_W, BOX_H, ROW_H, BAND_GAP, EVENT_R, PAD = 6, 29, 23, 16, 26, 10, 5.5, 2.5


def _print_places(process: Process) -> tuple[dict[str, tuple[float, float]], list[float], float]:
    """Top-left of each node's box, the top of each band and the figure's height."""
    cells = _grid(process)
    band_rows: dict[int, int] = {}
    for column, row in cells.values():
        band = column // PRINT_COLUMNS
        band_rows[band] = max(band_rows.get(band, 0), row + 1)
    band_top, top = [], 0.0
    for band in range(max(band_rows) + 1):
        band_top.append(top)
        top += band_rows.get(band, 0) * ROW_H + BAND_GAP
    places = {
        node: (PAD + (column % PRINT_COLUMNS) * COL_W + (COL_W - BOX_W) / 2, band_top[column // PRINT_COLUMNS] + row * ROW_H)
        for node, (column, row) in cells.items()
    }
    return places, band_top + [top], top


def _print_edge(process: Process, places, band_top, source: str, target: str) -> tuple[SafeString, int | None]:
    """A right-angled path from the source's right side to the target's left side, and the band
    under which it runs: a flow that goes back, or onto the next band, runs through that gap."""
    def half(node):
        return EVENT_R if process.nodes[node][0] == "event" else BOX_W / 2

    (sx, sy), (tx, ty) = places[source], places[target]
    x1, y1 = sx + BOX_W / 2 + half(source), sy + BOX_H / 2
    x2, y2 = tx + BOX_W / 2 - half(target), ty + BOX_H / 2
    band = max(i for i, top in enumerate(band_top) if top <= sy)
    slot_after, slot_before = sx + BOX_W + (COL_W - BOX_W) / 2, tx - (COL_W - BOX_W) / 2
    gap_under = None
    if tx > sx and band_top[band] <= ty < band_top[band + 1]:
        d = f"M{x1},{y1} H{x2}" if y1 == y2 else f"M{x1},{y1} H{slot_before} V{y2} H{x2}"
    else:
        gap_y = band_top[band + 1] - BAND_GAP / 2
        # Beside, not on, the gaps' middles, where the forward flows turn.
        d, gap_under = f"M{x1},{y1} H{slot_after + 1.5} V{gap_y} H{slot_before - 1.5} V{y2} H{x2}", band
    return format_html('<path d="{}" fill="none" stroke="#444" stroke-width="0.4" marker-end="url(#arrow)"/>', d), gap_under


def bpmn_print_html(xml: str) -> SafeString:
    """The process for a PDF: an SVG of shapes and arrows, with each name as an HTML label.
    Every name goes through format_html (WeasyPrint would fetch an injected <img>'s URL)."""
    process = bpmn_parse(xml)
    places, band_top, height = _print_places(process)
    width = PRINT_COLUMNS * COL_W + 2 * PAD
    shapes, labels = [], []
    for node, (shape, name) in process.nodes.items():
        x, y = places[node]
        shapes.append(_shape_svg(shape, x, y, BOX_W, BOX_H, radius=EVENT_R))
        if shape == "event":  # the name under the circle
            top, box_h = y + BOX_H / 2 + EVENT_R + 0.5, ROW_H - BOX_H / 2 - EVENT_R - 1
            labels.append(format_html('<div class="label event" style="left:{}mm;top:{}mm;width:{}mm;height:{}mm">{}</div>',
                                      x - 2, top, BOX_W + 4, box_h, name))
        else:
            size = "label long" if len(name) > 34 else "label"  # a smaller font keeps it inside its box
            labels.append(format_html('<div class="{}" style="left:{}mm;top:{}mm;width:{}mm;height:{}mm">{}</div>',
                                      size, x + 1, y, BOX_W - 2, BOX_H, name))
    routed = [_print_edge(process, places, band_top, source, target) for source, target in process.flows]
    arrows = [path for path, _gap in routed]
    if all(gap != len(band_top) - 2 for _path, gap in routed):
        height -= BAND_GAP - 2  # nothing runs under the last band
    return format_html(
        '<div class="flowchart-print" style="width:{w}mm;height:{h}mm">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">{defs}{arrows}{shapes}</svg>'
        "{labels}</div>",
        w=width, h=height, defs=PRINT_ARROW_MARKER, arrows=_joined(arrows), shapes=_joined(shapes), labels=_joined(labels),
    )
