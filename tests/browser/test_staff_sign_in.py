"""A clerk's first morning: open the municipality's portal on a phone, sign in, reach the staff area."""

import pytest

from tests.builders import SESSION_TENANTS, STAFF_PASSWORD
from tests.clients import tenant_url

# django_db: the session database must exist for the server process to serve it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# A click that navigates returns once the new page commits, before it is parsed: every such
# click is followed by wait_for_load_state() before the page is read.


def test_staff_signs_in_from_the_portal(live_server_url, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "alpha"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "میز خدمت الکترونیکی شهرداری آلفا"

    page.get_by_role("link", name="ورود کارکنان").click()
    page.wait_for_load_state()
    page.get_by_label("پست الکترونیک").fill(SESSION_TENANTS["alpha"]["admin_email"])
    page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state()

    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "محیط کارکنان شهرداری آلفا"
    assert "مدیر سامانه" in page.content()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_wrong_password_is_told_in_persian(live_server_url, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/"))
    page.get_by_label("پست الکترونیک").fill(SESSION_TENANTS["alpha"]["admin_email"])
    page.get_by_label("گذرواژه", exact=True).fill("not-the-password")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert any("\u0600" <= ch <= "\u06ff" for ch in alert.inner_text())


def test_staff_of_beta_cannot_sign_in_on_alpha(live_server_url, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/"))
    page.get_by_label("پست الکترونیک").fill(SESSION_TENANTS["beta"]["admin_email"])
    page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    page.goto(tenant_url(live_server_url, "alpha", "/staff/"))
    assert "/accounts/login/" in page.url
