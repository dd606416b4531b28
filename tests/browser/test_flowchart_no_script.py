"""Stored XSS (issue 13): a card whose titles and stage names are script payloads runs no
script in Chromium on its service page and its full card."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from catalog.bpmn import bpmn_from_stages
from catalog.models import Service
from tests.clients import tenant_url
from tests.english import FINDER
from tests.markup import PAYLOADS

pytestmark = pytest.mark.browser

NATIONAL_ID = "10999999901"  # none of the demo's, so that no other test meets this card


@pytest.fixture(params=[payload.replace("xss()", "alert(1)") for payload in PAYLOADS])
def poisoned_card(request, demo_catalog_on_server, django_db_blocker):
    """In gamma, committed for the server: a published card with a payload in every field
    that reaches the flowchart. Removed afterwards."""
    def in_gamma(work):
        with django_db_blocker.unblock(), schema_context("t_gamma"):
            try:
                return work()
            finally:
                connection.set_schema_to_public()

    title = request.param
    in_gamma(lambda: Service.objects.create(
        national_id=NATIONAL_ID, approved_title=title, common_name=title, status=Service.Status.PUBLISHED,
        bpmn_external=bpmn_from_stages(title, [title, title])))
    yield title
    in_gamma(lambda: Service.objects.filter(national_id=NATIONAL_ID).delete())


def test_a_payload_in_the_titles_and_stages_runs_no_script(live_server_url, poisoned_card, browser):
    context = browser.new_context()
    page = context.new_page()
    ran = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    try:
        for path in (f"/services/{NATIONAL_ID}/", f"/services/{NATIONAL_ID}/card/"):
            page.goto(tenant_url(live_server_url, "gamma", path))
            page.locator("section[aria-labelledby=flow-title]").hover()  # would fire an injected onmouseover
            page.wait_for_timeout(300)  # an onload or onerror has fired by now
            assert ran == [], f"script ran on {path}: {ran}"
            chart = page.locator("svg.flowchart")
            assert chart.count() == 1 and poisoned_card in chart.get_attribute("aria-label")  # the title, as text
            assert chart.locator("text", has_text="alert(1)").count() == 2  # the two stages' boxes
            assert page.locator("img[src=x]").count() == 0 and page.locator("[onload], [onerror], [onmouseover]").count() == 0
        FINDER.check_page(page)
        FINDER.forget(poisoned_card)  # the payload's words are English on purpose
    finally:
        context.close()
