"""The audit registry (lib/audit_changes.py): a recorded change in words, whatever the app."""

from lib.audit_changes import Field, action_label, actor_label, changes, register, value_text

register(
    "sample",
    actions={"moved": "جابه‌جا شد"},
    fields={
        "level": Field(label="سطح", choices={"region": "منطقه", "headquarters": "ستاد"}),
        "active": "فعال",
        "count": "شمار",
        "xml": Field(label="نمودار", summary="نمودار تغییر کرد"),
        "site": Field(label="نشانی وب", latin=True),
    },
    on_create=("level",),
)


def test_values_read_as_words():
    assert value_text("sample", "level", "region") == "منطقه"
    assert value_text("sample", "active", True) == "بله" and value_text("sample", "active", False) == "خیر"
    assert value_text("sample", "count", 12) == "۱۲"
    assert value_text("sample", "count", None) == "—"
    assert value_text("sample", "site", "https://a1.ir") == "https://a1.ir"
    assert value_text("sample", "count", "ب" * 100).endswith("…")


def test_only_changed_fields_in_registered_order_and_long_text_summarised():
    found = changes("sample", {"count": 2, "level": "headquarters", "xml": "<a/>", "active": True},
                    {"count": 3, "level": "region", "xml": "<b/>", "active": True})
    assert [(c.label, c.before, c.after, c.summary) for c in found] == [
        ("سطح", "ستاد", "منطقه", ""), ("شمار", "۲", "۳", ""), ("نمودار", "", "", "نمودار تغییر کرد"),
    ]


def test_creation_lists_the_chosen_fields():
    assert [(c.label, c.after) for c in changes("sample", None, {"level": "region", "count": 1})] == [("سطح", "منطقه")]


def test_actions_and_actors():
    assert action_label("sample", "moved") == "جابه‌جا شد"
    assert action_label("sample", "unknown") == "unknown"  # never hidden
    assert actor_label("seed_demo") == "ساخت داده‌های نمونه" and actor_label("a@b.ir") == "a@b.ir"
