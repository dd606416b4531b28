"""A tenant admin reads the report's charts on a phone (390 px) and a desktop (1366 px): each has a
visible title, its labels, values and scale are whole and apart, and screen readers get a table
with the same figures. Screenshots of both widths are left in the test's tmp_path."""

import pytest
from playwright.sync_api import expect

from tests.builders import SESSION_TENANTS, STAFF_PASSWORD
from tests.clients import tenant_url
from tests.report_data import LONG_UNIT, TITLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


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
