"""A tenant admin reads the report's charts on a phone (390 px) and a desktop (1366 px): each has a
visible title, its labels, values and scale are whole and apart, and screen readers get a table
with the same figures. Screenshots of both widths are left in the test's tmp_path."""

from datetime import date

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, request_make, service_card_make, survey_make, unit_make
from tests.clients import tenant_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TITLES = ["درخواست‌های پذیرش‌شده در هر ماه", "میانگین روز کاری از پذیرش تا پاسخ در هر واحد",
          "درخواست‌های پذیرش‌شده به تفکیک مجرای ثبت", "میانگین امتیاز محورهای نظرسنجی (از ۵)"]
LONG_UNIT = "اداره خدمات شهری، فضای سبز و محیط زیست شهرداری منطقه یک"


@pytest.fixture(scope="module")
def alpha_year_1402(django_db_blocker):
    """Committed requests of alpha over eight months of 1402 (the server sees only committed
    rows), in three units, one with a long name; removed after the module."""
    from catalog.models import Unit
    from intake.surveys.services import AXES, questionnaire_default_ensure
    from tenants.models import Tenant

    with django_db_blocker.unblock():
        schema = Tenant.objects.get(slug="alpha").schema_name
        with schema_context(schema):
            hq = unit_make(name="ستاد مرورگر", kind=Unit.Kind.HEADQUARTERS, schema=schema)
            units = [hq, unit_make(name=LONG_UNIT, kind=Unit.Kind.DISTRICT, parent=hq, schema=schema),
                     unit_make(name="منطقه دو مرورگر", kind=Unit.Kind.DISTRICT, parent=hq, schema=schema)]
            service = service_card_make(national_id="19900000091", title="خدمت مرورگر", schema=schema)
            channels = ["online", "online", "in_person", "assisted", "online"]
            # The tenant's real default questionnaire (made now if missing, as the first survey
            # would), never a bare one left committed for the tests that run after this module.
            from intake.models import Questionnaire

            questionnaire_made = not Questionnaire.objects.exists()
            questionnaire_default_ensure()
            for index in range(24):
                month = 4 + index % 8  # Gregorian April to November 2023: Farvardin to Aban 1402
                submitted = date(2023, month, 5 + index % 3)
                answered = date(2023, month, 8 + index % 11) if index % 4 else None
                service_request = request_make(service=service, unit=units[index % 3], submitted=submitted, answered=answered,
                                   promised=date(2023, month, 15), channel=channels[index % 5], schema=schema)
                if answered:
                    survey_make(service_request=service_request, schema=schema, scores={axis: 1 + (index + position) % 5 for position, axis in enumerate(AXES)})
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        with schema_context(schema):
            from intake.models import Questionnaire, ServiceRequest, Survey

            Survey.objects.filter(request__service=service).delete()
            ServiceRequest.objects.filter(service=service).delete()
            if questionnaire_made:
                Questionnaire.objects.all().delete()
            service.delete()
            Unit.objects.filter(pk__in=[u.pk for u in units[1:]]).delete()
            hq.delete()
        connection.set_schema_to_public()


# Every problem found in the charts' geometry, as sentences; [] when all is readable.
GEOMETRY = """() => {
  const problems = [];
  const box = e => e.getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const apart = (a, b) => a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
  for (const figure of document.querySelectorAll('figure.bar-chart')) {
    const name = figure.id, frame = box(figure);
    const title = figure.querySelector('figcaption');
    if (box(title).height < 10 || !inside(box(title), frame)) problems.push(`${name}: title hidden or outside`);
    const texts = [...figure.querySelectorAll('.chart-axis-name, .chart-label, .chart-value, .chart-tick')];
    for (const t of texts) {
      const r = box(t);
      if (r.width < 1 || r.height < 8) problems.push(`${name}: "${t.textContent}" is not shown`);
      if (!inside(r, frame)) problems.push(`${name}: "${t.textContent}" leaves the chart`);
      if (t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1) problems.push(`${name}: "${t.textContent}" is cut`);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++)
      if (!apart(box(texts[i]), box(texts[j]))) problems.push(`${name}: "${texts[i].textContent}" overlaps "${texts[j].textContent}"`);
    for (const bar of figure.querySelectorAll('.chart-bar')) {
      const value = bar.querySelector('.chart-value');
      if (!apart(box(bar), box(value))) problems.push(`${name}: the value ${value.textContent} is on its bar`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_report_charts_are_readable(live_server_url, browser, alpha_year_1402, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fa-IR")
    page = context.new_page()
    try:
        page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/?next=/staff/reports/%3Fyear%3D1402"))
        page.get_by_label("پست الکترونیک").fill(SESSION_TENANTS["alpha"]["admin_email"])
        page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
        page.get_by_role("button", name="ورود").click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_contain_text("گزارش میز خدمت")

        figures = page.locator("figure.bar-chart")
        expect(figures).to_have_count(4)
        for index, title in enumerate(TITLES):
            expect(figures.nth(index).locator("figcaption")).to_have_text(title)
            expect(figures.nth(index).locator("figcaption")).to_be_visible()
        for index in range(4):
            figures.nth(index).screenshot(path=str(tmp_path / f"chart-{index + 1}-{width}.png"))
        page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        assert page.evaluate(GEOMETRY) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing sideways

        # Screen readers: the drawing is hidden from them, a table named by the title is not.
        for index, title in enumerate(TITLES):
            figure = figures.nth(index)
            table = page.get_by_role("table", name=title)
            expect(table).to_have_count(1)
            drawn = [[label, value] for label, value in zip(figure.locator(".chart-label").all_inner_texts(),
                                                            figure.locator(".chart-value").all_inner_texts())]
            rows = [[row.get_by_role("rowheader").text_content(), row.get_by_role("cell").text_content()]
                    for row in table.locator("tbody tr").all()]
            assert rows == drawn and len(rows) >= 2
        expect(page.get_by_role("table", name=TITLES[1]).get_by_role("rowheader", name=LONG_UNIT)).to_have_count(1)
        units = figures.nth(1).locator(".chart-label", has_text=LONG_UNIT)
        expect(units).to_have_text(LONG_UNIT)  # whole, wrapped rather than cut

    finally:
        context.close()
