"""A citizen opens a service's full card and clicks one of its forms (فرم‌ها): the browser saves
the file the staff uploaded (the links answered 404 on every host before)."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from catalog.models import FormFile, Service
from tests.builders import pdf_bytes
from tests.clients import tenant_url

pytestmark = [pytest.mark.browser]  # no test transaction: the form is committed for the server


@pytest.fixture
def gamma_form(demo_catalog_on_server, django_db_blocker):
    """A form on gamma's building-permit card, committed for the server, removed after."""
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        form = FormFile(service=Service.objects.get(national_id="10901010100"), title="فرم تعهدنامه مالک")
        form.file.save("form.pdf", ContentFile(pdf_bytes(3000)), save=True)
    yield form
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        form.file.delete(save=False)
        form.delete()


def test_the_form_link_on_the_card_downloads_the_file(live_server_url, gamma_form, browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(tenant_url(live_server_url, "gamma", "/services/10901010100/card/"))
    with page.expect_download() as caught:
        page.get_by_role("link", name="فرم تعهدنامه مالک").click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes() == pdf_bytes(3000)
    context.close()
