import pytest
from django.core.exceptions import ValidationError

import re

from catalog.bpmn import bpmn_clean, bpmn_from_stages, bpmn_parse, bpmn_print_html, bpmn_svg


def test_generated_process_runs_left_to_right_through_the_stages():
    xml = bpmn_from_stages("صدور پروانه", ["بررسی مدارک", "بازدید", "صدور"])
    process = bpmn_parse(xml)
    names = [name for _shape, name in process.nodes.values()]
    assert names == ["ثبت درخواست", "بررسی مدارک", "بازدید", "صدور", "دریافت پاسخ"]
    assert process.flows[0] == ("start", "stage_1") and process.flows[-1] == ("stage_3", "end")
    svg = bpmn_svg(xml, title="صدور پروانه")
    assert svg.count("<rect") == 3 and svg.count("<circle") == 2 and svg.count("<line") == 4
    assert "بازدید" in svg


def _label_places(html: str) -> dict[str, tuple[float, float]]:
    found = re.findall(r'class="label[^"]*" style="left:([\d.]+)mm;top:([\d.]+)mm[^"]*">([^<]+)</div>', html)
    return {name: (float(left), float(top)) for left, top, name in found}


def test_the_printed_flowchart_has_html_labels_left_to_right_wrapping_after_six_columns():
    stages = ["بررسی مدارک", "بازدید کارشناس", "محاسبه عوارض", "کمیسیون فنی", "صدور پروانه", "بایگانی"]
    html = bpmn_print_html(bpmn_from_stages("صدور پروانه", stages))
    assert "<text" not in html  # WeasyPrint would draw SVG text unshaped
    places = _label_places(html)
    flow = ["ثبت درخواست", *stages, "دریافت پاسخ"]
    assert list(places) == flow
    first_band, second_band = flow[:6], flow[6:]
    assert [places[n][0] for n in first_band] == sorted(places[n][0] for n in first_band)
    assert [places[n][0] for n in second_band] == sorted(places[n][0] for n in second_band)
    assert min(places[n][1] for n in second_band) > max(places[n][1] for n in first_band)
    assert html.count("marker-end=") == len(flow) - 1


def test_a_loop_back_does_not_push_the_gateway_to_the_end():
    ns = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    xml = (f'<definitions xmlns="{ns}"><process id="p"><startEvent id="s" name="شروع"/><exclusiveGateway id="g" name="کامل است؟"/>'
           '<task id="a" name="تکمیل مدارک"/><task id="b" name="بررسی &lt;کارشناس&gt;"/><endEvent id="e" name="پایان"/>'
           '<sequenceFlow id="f1" sourceRef="s" targetRef="g"/><sequenceFlow id="f2" sourceRef="g" targetRef="a"/>'
           '<sequenceFlow id="f3" sourceRef="g" targetRef="b"/><sequenceFlow id="f4" sourceRef="a" targetRef="g"/>'
           '<sequenceFlow id="f5" sourceRef="b" targetRef="e"/></process></definitions>')
    html = bpmn_print_html(xml)
    assert "بررسی &lt;کارشناس&gt;" in html  # escaped
    places = _label_places(html)
    assert places["شروع"][0] < places["کامل است؟"][0] < places["تکمیل مدارک"][0] < places["پایان"][0]


@pytest.mark.parametrize(
    "document, message",
    [
        ("not xml", "XML درست نیست"),
        ("<html/>", "BPMN 2.0"),
        ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "هیچ فرآیندی"),
        ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><sequenceFlow id="f" sourceRef="a" targetRef="b"/></process></definitions>', "هیچ رویداد"),
        ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "XML درست نیست"),
    ],
)
def test_bad_uploads_are_refused_in_persian(document, message):
    with pytest.raises(ValidationError) as error:
        bpmn_clean(document)
    assert message in error.value.messages[0]
