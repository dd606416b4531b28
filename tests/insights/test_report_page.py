"""/staff/reports/: the page, its exports, and who may open it."""

import io
import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tests.intake.staff import make_staff, staff_client

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
    assert "اسفند ۱۴۰۲" in html and html.count("<svg") == 4
    assert "پنجره واحد الکترونیکی" in html and "منطقه آزمون" in html and "ستاد آزمون" in html


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
    manager = make_staff(role="unit_manager", email="manager@alpha.test", unit=known.district)
    client_a = staff_client(manager, host=tenant_a.subdomain)
    csv_text = client_a.get("/staff/reports/export.csv" + ESFAND).content.decode("utf-8-sig")
    assert "کل دوره,اسفند ۱۴۰۲,3,1,2,1," in csv_text
    assert "ستاد آزمون" not in csv_text and "منطقه آزمون" in csv_text


def test_a_clerk_may_not(known, tenant_a):
    clerk = make_staff(role="clerk", email="clerk@alpha.test", unit=known.hq)
    client_a = staff_client(clerk, host=tenant_a.subdomain)
    assert client_a.get("/staff/reports/").status_code == 403
    assert client_a.get("/staff/reports/export.csv").status_code == 403


def test_the_staff_home_links_the_report_for_those_who_may_open_it(tenant_a):
    from accounts.models import User

    for role, email, linked in ((User.Role.TENANT_ADMIN, "boss@alpha.test", True), (User.Role.UNIT_MANAGER, "m@alpha.test", True),
                                (User.Role.CLERK, "c@alpha.test", False)):
        home = staff_client(make_staff(role=role, email=email)).get("/staff/").content.decode()
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
