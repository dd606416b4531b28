"""A citizen on a phone: the service list, a cascade opened with "+", a card with its flowchart."""

import pytest

from tests.clients import tenant_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_list_cascade_card_and_flowchart(live_server_url, demo_catalog_on_server, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "gamma", "/services/"))
    sub_service = page.get_by_role("link", name="صدور پروانه ساختمان مسکونی")
    assert not sub_service.is_visible()  # folded under its parent
    toggle = page.get_by_role("button", name="نمایش زیرخدمت‌های صدور پروانه ساختمان")
    assert toggle.inner_text() == "+"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert sub_service.is_visible()
    sub_service.click()

    page.wait_for_url("**/services/10901010100/")
    assert page.locator("h1").inner_text() == "صدور پروانه ساختمان مسکونی"
    chart = page.locator("svg.flowchart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    assert chart.locator("text", has_text="بازدید کارشناس").count() == 1

    page.get_by_role("link", name="جزئیات خدمت (شناسنامه خدمت)").click()
    page.wait_for_url("**/card/")
    assert "قوانین و مقررات" in page.content()
