"""The vendor suspends a tenant only after saying yes to a question, as for closing one: a
dismissed question changes nothing."""

import pytest

from tests.builders import STAFF_PASSWORD, VENDOR_EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_suspending_asks_first(live_server_url, _gamma, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fa-IR")
    page = context.new_page()
    try:
        page.goto(live_server_url + "/accounts/login/?next=/console/tenants/gamma/")
        page.get_by_label("پست الکترونیک").fill(VENDOR_EMAIL)
        page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
        page.get_by_role("button", name="ورود").click()
        page.wait_for_load_state()
        page.wait_for_url("**/console/tenants/gamma/")

        questions = []
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="تعلیق").click()
        assert questions and "تعلیق شود؟" in questions[0]
        page.reload()
        page.wait_for_load_state()
        assert page.locator("h1 .badge").inner_text() != "تعلیق‌شده" and page.get_by_role("button", name="تعلیق").is_visible()

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="تعلیق").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="فعال‌سازی دوباره").wait_for()
    finally:
        # Gamma serves other tests: give it back active.
        if page.get_by_role("button", name="فعال‌سازی دوباره").count():
            page.get_by_role("button", name="فعال‌سازی دوباره").click()
            page.wait_for_load_state()
        context.close()
