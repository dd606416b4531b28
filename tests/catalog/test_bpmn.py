import pytest
from django.core.exceptions import ValidationError

from catalog.bpmn import bpmn_clean, bpmn_from_stages, bpmn_parse, bpmn_svg


def test_generated_process_runs_left_to_right_through_the_stages():
    xml = bpmn_from_stages("صدور پروانه", ["بررسی مدارک", "بازدید", "صدور"])
    process = bpmn_parse(xml)
    names = [name for _shape, name in process.nodes.values()]
    assert names == ["ثبت درخواست", "بررسی مدارک", "بازدید", "صدور", "دریافت پاسخ"]
    assert process.flows[0] == ("start", "stage_1") and process.flows[-1] == ("stage_3", "end")
    svg = bpmn_svg(xml, title="صدور پروانه")
    assert svg.count("<rect") == 3 and svg.count("<circle") == 2 and svg.count("<line") == 4
    assert "بازدید" in svg


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
