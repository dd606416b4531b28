"""The report's bar charts as data: Persian figures, round scales, bars in proportion."""

from insights.charts import bar_chart, number_text


def test_figures_are_persian_with_one_decimal_at_most():
    assert [number_text(v) for v in (3, 3.0, 2.5, 7.83, 0, None)] == ["۳", "۳", "۲٫۵", "۷٫۸", "۰", "—"]


def test_counts_get_whole_ticks_and_bars_in_proportion():
    chart = bar_chart([("برخط", 14), ("حضوری", 5), ("با کمک متصدی", None)], key="channels", title="مجرا",
                      label_axis="مجرا", value_axis="شمار درخواست", counts=True)
    assert [number for _position, number in chart.ticks] == ["۰", "۵", "۱۰", "۱۵"]
    assert [(bar.text, bar.length) for bar in chart.bars] == [("۱۴", "93.33"), ("۵", "33.33"), ("—", "0.00")]
    assert bar_chart([("الف", 1)], key="k", title="t", label_axis="l", value_axis="v", counts=True).ticks == [("0.00", "۰"), ("100.00", "۱")]


def test_a_score_out_of_five_is_drawn_on_a_scale_of_five():
    chart = bar_chart([("شفافیت فرایندی", 4), ("کلیت فرایند", 3.2)], key="survey", title="t", label_axis="l", value_axis="v", maximum=5)
    assert [number for _position, number in chart.ticks] == ["۰", "۱", "۲", "۳", "۴", "۵"]
    assert [bar.length for bar in chart.bars] == ["80.00", "64.00"]
