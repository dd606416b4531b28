"""/staff/reports/: the page, its exports, and who may open it."""

import io
import re
import subprocess

import pytest
from django_tenants.utils import schema_context
import cssselect2
import tinyhtml5
from openpyxl import load_workbook

from tests.builders import user_make
from tests.clients import staff_client

ESFAND = "?year=1402&month=12"


@pytest.fixture
def admin_a(known, tenant_a):
    from accounts.models import User

    with schema_context(tenant_a.schema_name):
        admin = User.objects.get(email="admin@alpha.test")
    return staff_client(admin, host=tenant_a.subdomain)


def test_the_page_shows_charts_tables_and_the_scorecard(known, admin_a):
    response = admin_a.get("/staff/reports/" + ESFAND)
    assert response.status_code == 200
    html = response.content.decode()
    assert "اسفند ۱۴۰۲" in html
    assert "پنجره واحد الکترونیکی" in html and "منطقه آزمون" in html and "ستاد آزمون" in html


CHART_TITLES = ["درخواست‌های پذیرش‌شده در هر ماه", "میانگین روز کاری از پذیرش تا پاسخ در هر واحد",
                "درخواست‌های پذیرش‌شده به تفکیک مجرای ثبت", "میانگین امتیاز محورهای نظرسنجی (از ۵)"]


def _select(element, selector: str) -> list:
    return [found.etree_element for found in element.query_all(selector)]


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def test_each_chart_has_a_title_and_a_table_with_its_figures(known, admin_a):
    html = admin_a.get("/staff/reports/" + ESFAND).content.decode()
    page = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html, namespace_html_elements=False))
    charts = list(page.query_all("figure.bar-chart"))
    assert [_text(_select(c, "figcaption")[0]) for c in charts] == CHART_TITLES
    figures = {}
    for chart in charts:
        drawn = [(_text(label), _text(value)) for label, value in zip(_select(chart, ".chart-label"), _select(chart, ".chart-value"))]
        table = _select(chart, "table")[0]
        assert _text(_select(chart, "table caption")[0]) == _text(_select(chart, "figcaption")[0])
        rows = [(_text(tr.find("th")), _text(tr.find("td"))) for tr in _select(chart, "tbody tr")]
        assert rows == drawn and rows
        assert _select(chart, ".chart-plot")[0].get("aria-hidden") == "true" and table is not None
        figures[chart.etree_element.get("id")] = dict(rows)
    # Esfand 1402 of tests/insights/conftest.py: five requests, three surveys.
    assert figures["chart-months"] == {"اسفند ۱۴۰۲": "۵"}
    assert figures["chart-channels"] == {"برخط": "۳", "حضوری": "۱", "با کمک متصدی": "۱"}
    assert figures["chart-survey"] == {"شفافیت فرایندی": "۴", "کلیت فرایند": "۳"}
    assert set(figures["chart-units"]) == {"ستاد آزمون", "منطقه آزمون"}
    assert all(re.fullmatch("[۰-۹]+(٫[۰-۹])?", value) for value in figures["chart-units"].values())


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return re.sub("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)  # bidi marks; pdftotext drops the ZWNJ


def test_the_pdf_charts_read_back_in_persian(known, admin_a, tmp_path):
    """They were SVG, whose text WeasyPrint draws reversed and unjoined, and had no titles."""
    text = _pdf_text(admin_a.get("/staff/reports/export.pdf" + ESFAND).content, tmp_path)
    for phrase in [*CHART_TITLES, "شمار درخواست", "ستاد آزمون", "منطقه آزمون", "شفافیت فرایندی", "کلیت فرایند"]:
        phrase = phrase.replace("\u200c", "").split(" (")[0]  # pdftotext moves a digit out of its brackets
        assert phrase in text, phrase
        assert phrase[::-1] not in text, phrase
    charts = text.split("کل دوره")[0]
    assert "۲٫۵" in charts and not re.search("[0-9]", charts)  # the figures and the scales, in Persian digits


def test_xlsx_csv_and_pdf(known, admin_a):
    book = load_workbook(io.BytesIO(admin_a.get("/staff/reports/export.xlsx" + ESFAND).content))
    rows = list(book["گزارش"].iter_rows(values_only=True))
    total = rows[4]
    assert total[:5] == ("اسفند ۱۴۰۲", 5, 3, 2, 2)
    csv_text = admin_a.get("/staff/reports/export.csv" + ESFAND).content.decode("utf-8-sig")
    assert "کل دوره,اسفند ۱۴۰۲,5,3,2,2,6.0,7.0,7.8" in csv_text
    pdf = admin_a.get("/staff/reports/export.pdf" + ESFAND)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_unit_manager_sees_only_their_units(known, tenant_a):
    manager = user_make(role="unit_manager", email="manager@alpha.test", unit=known.district)
    client_a = staff_client(manager, host=tenant_a.subdomain)
    csv_text = client_a.get("/staff/reports/export.csv" + ESFAND).content.decode("utf-8-sig")
    assert "کل دوره,اسفند ۱۴۰۲,3,1,2,1," in csv_text
    assert "ستاد آزمون" not in csv_text and "منطقه آزمون" in csv_text


def test_a_clerk_may_not(known, tenant_a):
    clerk = user_make(role="clerk", email="clerk@alpha.test", unit=known.hq)
    client_a = staff_client(clerk, host=tenant_a.subdomain)
    assert client_a.get("/staff/reports/").status_code == 403
    assert client_a.get("/staff/reports/export.csv").status_code == 403


def test_the_filters_show_what_was_asked(known, admin_a):
    html = admin_a.get("/staff/reports/?year=1402&month=12").content.decode()
    assert 'name="year" value="1402"' in html and '<option value="12" selected>اسفند</option>' in html
    # A range the page cannot read still shows what was typed, to be corrected.
    html = admin_a.get("/staff/reports/?from=1402/13/01&to=1402/12/29&quarter=3").content.decode()
    assert 'name="from" value="1402/13/01"' in html and 'name="to" value="1402/12/29"' in html
    assert '<option value="3" selected>' in html


def test_a_period_without_requests_says_so_under_each_title(known, admin_a):
    html = admin_a.get("/staff/reports/?year=1390").content.decode()
    assert html.count('class="bar-chart"') == 4 and all(title in html for title in CHART_TITLES)
    assert html.count("داده‌ای برای این نمودار در این دوره نیست.") == 4 and "chart-table" not in html


def test_the_staff_home_links_the_report_for_those_who_may_open_it(tenant_a):
    from accounts.models import User

    for role, email, linked in ((User.Role.TENANT_ADMIN, "boss@alpha.test", True), (User.Role.UNIT_MANAGER, "m@alpha.test", True),
                                (User.Role.CLERK, "c@alpha.test", False)):
        home = staff_client(user_make(role=role, email=email)).get("/staff/").content.decode()
        assert ('href="/staff/reports/"' in home) is linked, role


def test_bad_dates_are_told_at_their_fields_and_kept(known, admin_a):
    html = admin_a.get("/staff/reports/", {"from": "۱۴۰۲/۱۲/۳۵", "to": "۱۴۰۲/۱۲/۲۹"}).content.decode()
    assert "«۱۴۰۲/۱۲/۳۵» تاریخ خورشیدی درستی نیست و به کار نرفت" in html
    assert 'value="۱۴۰۲/۱۲/۳۵"' in html and 'value="۱۴۰۲/۱۲/۲۹"' in html and 'aria-describedby="r-from-error"' in html
    html = admin_a.get("/staff/reports/", {"from": "1402/12/01"}).content.decode()
    assert "برای گزارش یک بازه، «تا» را هم بنویسید." in html
    html = admin_a.get("/staff/reports/", {"from": "1402/12/20", "to": "1402/12/01"}).content.decode()
    assert "«تا» پیش از «از» است" in html
    html = admin_a.get("/staff/reports/", {"year": "۱۴ـ۰۲"}).content.decode()
    assert "سال خورشیدی درستی نیست" in html and 'value="۱۴ـ۰۲"' in html
    html = admin_a.get("/staff/reports/", {"from": "1402/12/01", "to": "1402/12/29"}).content.decode()
    assert "errorlist" not in html
