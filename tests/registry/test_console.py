"""The vendor console's registry pages: vendor only, search, the sync button, a run's page."""

import pytest

from lib.breaker import breaker_for
from lib.persian import to_persian_digits
from mizban.celery import app as celery_app
from registry.models import NationalService, SyncRun
from registry.services import registry_sync
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, SUPERVISOR_EMAIL
from tests.registry_exports import edit, sample_rows, write_csv

PAGES = ["/console/registry/", "/console/registry/runs/1/"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_asked_to_sign_in(public_client, path):
    response = public_client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_non_vendor_platform_users_are_refused(public_client, path):
    assert public_client.login(email=SUPERVISOR_EMAIL, password=STAFF_PASSWORD)
    assert public_client.get(path).status_code == 403


def test_the_sync_button_refuses_non_vendors(public_client):
    assert public_client.post("/console/registry/sync/").status_code == 302  # to sign in
    assert public_client.login(email=SUPERVISOR_EMAIL, password=STAFF_PASSWORD)
    assert public_client.post("/console/registry/sync/").status_code == 403
    assert not SyncRun.objects.exists()


@pytest.mark.parametrize("path", PAGES + ["/console/registry/sync/"])
def test_the_pages_do_not_exist_on_tenant_hosts(client_a, path):
    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    assert client_a.get(path).status_code == 404
    assert client_a.post(path).status_code == 404
    assert not SyncRun.objects.exists()


def test_the_console_nav_links_to_the_registry(vendor_client):
    assert 'href="/console/registry/"' in vendor_client.get("/console/").content.decode()


def test_search_by_id_prefix_and_by_title_words(vendor_client, sample_path):
    registry_sync(file=str(sample_path))
    by_prefix = vendor_client.get("/console/registry/", {"q": "1003177"}).content.decode()
    assert "۴ خدمت یافت شد" in by_prefix  # the parent and its three sub-services
    assert to_persian_digits("10031771102") in by_prefix
    assert to_persian_digits("10901010000") not in by_prefix

    # Persian digits typed, Arabic ي/ك typed: both normalised.
    assert to_persian_digits("10031771102") in vendor_client.get("/console/registry/", {"q": "۱۰۰۳۱۷۷۱۱۰۲"}).content.decode()
    by_words = vendor_client.get("/console/registry/", {"q": "پروانه  ساختمان تجاري"}).content.decode()
    assert "صدور پروانه ساختمان تجاری" in by_words and "صدور پروانه ساختمان مسکونی" not in by_words

    retired = vendor_client.get("/console/registry/", {"status": "retired"}).content.decode()
    assert "صدور کارت شهروندی (قدیمی)" in retired and "صدور پروانه ساختمان" not in retired


def test_missing_and_ten_digit_services_are_shown_to_the_vendor(vendor_client, sample_path, tmp_path):
    registry_sync(file=str(sample_path))
    rows = [r for r in sample_rows() if r["service_id"] != "10911050000"]
    rows.append(dict(rows[-1], service_id="1090150000", status="approved", title="خدمت با شناسه ده‌رقمی"))
    registry_sync(file=str(write_csv(tmp_path / "next.csv", rows)))

    missing = vendor_client.get("/console/registry/", {"missing": "on"}).content.decode()
    assert "رسیدگی به درخواست‌ها و شکایات روستاییان" in missing and "غایب از" in missing
    assert "۱ خدمت یافت شد" in missing
    short = vendor_client.get("/console/registry/", {"short_id": "on"}).content.decode()
    assert "خدمت با شناسه ده‌رقمی" in short and "۱۰ رقمی" in short


def test_the_button_runs_a_sync_in_the_background_and_its_page_shows_the_outcome(
    vendor_client, settings, sample_path, tmp_path, django_capture_on_commit_callbacks,
):
    rows = edit(sample_rows(), "10901060000", service_type="G2X")
    settings.REGISTRY_SOURCE_URL = ""
    settings.REGISTRY_SOURCE_FILE = str(write_csv(tmp_path / "configured.csv", rows))
    with django_capture_on_commit_callbacks(execute=True):
        response = vendor_client.post("/console/registry/sync/")
    run = SyncRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/registry/runs/{run.pk}/"
    assert run.triggered_by == "vendor@mizban.test"
    assert NationalService.objects.count() == 40

    page = vendor_client.get(response["Location"]).content.decode()
    assert "انجام شد" in page
    assert "افزوده: " + to_persian_digits(40) in page and "نامعتبر (کنار گذاشته شد): " + to_persian_digits(1) in page
    assert "نوع خدمت باید G2C، G2B یا G2G باشد" in page and "G2X" in page
    assert 'http-equiv="refresh"' not in page
    listing = vendor_client.get("/console/registry/").content.decode()
    assert f'href="/console/registry/runs/{run.pk}/"' in listing


def test_a_queued_run_shows_its_progress_and_refreshes(vendor_client, settings, sample_path):
    settings.REGISTRY_SOURCE_FILE = str(sample_path)
    vendor_client.post("/console/registry/sync/")  # not committed in this test: stays queued
    run = SyncRun.objects.get()
    assert run.outcome == SyncRun.Outcome.QUEUED
    page = vendor_client.get(f"/console/registry/runs/{run.pk}/").content.decode()
    assert "در صف" in page and "در انتظار آغاز" in page and 'http-equiv="refresh"' in page


def test_the_button_says_so_when_no_source_is_configured(vendor_client, settings):
    settings.REGISTRY_SOURCE_URL = settings.REGISTRY_SOURCE_FILE = ""
    response = vendor_client.post("/console/registry/sync/", follow=True)
    assert "منبع فهرست ملی تنظیم نشده است" in response.content.decode()
    assert not SyncRun.objects.exists()


def test_with_the_broker_down_the_run_says_it_did_not_start(vendor_client, settings, sample_path, django_capture_on_commit_callbacks):
    """Tasks are sent for real (not run in the test's process) to a broker the breaker knows is
    down: the button answers with the run's page, which says the sync did not start."""
    settings.REGISTRY_SOURCE_FILE = str(sample_path)
    broker = breaker_for("the Celery broker", cooldown=settings.REDIS_RETRY_SECONDS)
    broker.failure(ConnectionError("the broker is down in this test"))
    celery_app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = vendor_client.post("/console/registry/sync/")
    finally:
        celery_app.conf.task_always_eager = True
        broker.success()
    run = SyncRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/registry/runs/{run.pk}/"
    assert run.outcome == SyncRun.Outcome.FAILED and not NationalService.objects.exists()
    page = vendor_client.get(response["Location"]).content.decode()
    assert "صف کارهای پس‌زمینه در دسترس نیست" in page and 'http-equiv="refresh"' not in page
