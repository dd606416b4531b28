"""The report's bar charts, as data for HTML and CSS drawn on the server (no script, no CDN).

HTML rather than SVG: the same charts go into the PDF, and WeasyPrint draws SVG text glyph by
glyph, unshaped and left to right; as HTML, Pango shapes the Persian, and on screen and paper
a long label wraps instead of being cut. Each chart carries the rows of the table that screen
readers get beside it (insights/_chart.html)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib.persian import to_persian_digits


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as shown: Persian digits, or «—» when there is none
    length: str  # the bar's length, per cent of the scale, as CSS reads it


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_axis: str
    value_axis: str
    bars: list[Bar]
    ticks: list[tuple[str, str]]  # (position in per cent of the scale, the number)


def number_text(value: float | None) -> str:
    """Persian digits and the Persian decimal separator, one decimal at most."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    text = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}".replace(".", "٫")
    return to_persian_digits(text)


def _scale(top: float, *, least_step: float) -> tuple[float, float]:
    """A round end at or above `top`, and a step of 1, 2 or 5 × 10ⁿ (not under `least_step`)
    that reaches it in at most five steps."""
    if top <= 0:
        return least_step, least_step
    step = 10 ** math.floor(math.log10(top / 5))
    step *= next(factor for factor in (1, 2, 5, 10) if top / (step * factor) <= 5)
    step = max(step, least_step)
    return math.ceil(top / step - 1e-9) * step, step


def bar_chart(rows: list[tuple[str, float | None]], *, key: str, title: str, label_axis: str, value_axis: str,
              counts: bool = False, maximum: int | None = None) -> Chart:
    """One bar per (label, value). Counts get whole ticks; `maximum` fixes the scale (a score out of 5)."""
    top = max((v for _, v in rows if v is not None), default=0)
    end, step = (maximum, 1) if maximum else _scale(top, least_step=1 if counts else 0.1)
    ticks = [(f"{100 * i * step / end:.2f}", number_text(i * step)) for i in range(round(end / step) + 1)]
    bars = [Bar(label=str(label), value=value, text=number_text(value), length=f"{100 * (value or 0) / end:.2f}")
            for label, value in rows]
    return Chart(key=key, title=title, label_axis=label_axis, value_axis=value_axis, bars=bars, ticks=ticks)


def report_charts(report) -> list[Chart]:
    """The four charts of the report page and its PDF."""
    return [
        bar_chart([(r["label"], r["accepted"]) for r in report.by["month"]], key="months", counts=True,
                  title=_("درخواست‌های پذیرش‌شده در هر ماه"), label_axis=_("ماه"), value_axis=_("شمار درخواست")),
        bar_chart([(r["label"], r["mean_work"]) for r in report.by["unit_id"]], key="units",
                  title=_("میانگین روز کاری از پذیرش تا پاسخ در هر واحد"), label_axis=_("واحد"), value_axis=_("روز کاری")),
        bar_chart([(r["label"], r["accepted"]) for r in report.by["channel"]], key="channels", counts=True,
                  title=_("درخواست‌های پذیرش‌شده به تفکیک مجرای ثبت"), label_axis=_("مجرا"), value_axis=_("شمار درخواست")),
        bar_chart([(a["axis"], a["mean"]) for a in report.survey_axes], key="survey", maximum=5,
                  title=_("میانگین امتیاز محورهای نظرسنجی (از ۵)"), label_axis=_("محور"), value_axis=_("امتیاز")),
    ]
