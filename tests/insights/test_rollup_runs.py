"""/insights/ has figures without waiting for the night: the vendor's button queues a rollup that
a real worker does while the page shows its progress, a tenant's new requests are rolled up
soon after they are submitted, and the page says when the figures were computed."""

import re
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from insights.models import RollupRun, TenantMonth, TenantPeriod
from insights.reports import local_midnight
from insights.rollup import recent_months
from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from tests.builders import STAFF_PASSWORD, VENDOR_EMAIL, applicant_post, user_make
from tests.clients import host_client
from tests.workers import celery_worker

JALALI_TIME = re.compile(r"در [۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2} ساعت [۰-۹]{2}:[۰-۹]{2} جمع‌بندی شده است")


def _submit(schema: str):
    """A citizen's request, committed (or in the test's transaction) in `schema`."""
    from catalog.models import Service
    from intake.citizen.services import draft_save_step, draft_start, request_submit

    with schema_context(schema):
        service = Service.objects.filter(status="published", national_id="10901010100").get()
        draft = draft_start(service=service, unit=service.units.order_by("order", "id").first())
        draft_save_step(draft=draft, step="details", values={"text": "درخواست پروانه برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post())
        return request_submit(token=draft.token)


def _forget_rollups(tenant=None):
    """No figures rolled up (for `tenant`, or anyone): its months and the periods summed from them.
    Other tests' submits in gamma (the browser tests' server rolls them up) leave both behind."""
    for model in (TenantMonth, TenantPeriod):
        (model.objects.filter(tenant=tenant) if tenant else model.objects.all()).delete()


def _wait_for_run(run_id: int, timeout: float = 60.0) -> RollupRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = RollupRun.objects.get(pk=run_id)
        if not run.unfinished:
            return run
        time.sleep(0.2)
    raise AssertionError(f"rollup run {run_id} still {run.status} after {timeout} s")


def test_the_vendor_rolls_up_now_through_the_worker(_gamma, tmp_path, django_db_blocker):
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    with django_db_blocker.unblock():
        vendor = host_client(settings.PLATFORM_DOMAIN)
        assert vendor.login(email=VENDOR_EMAIL, password=STAFF_PASSWORD)
        service_request = None
        try:
            with celery_worker(tmp_path / "worker.log"):
                service_request = _submit("t_gamma")  # its own rollup is minutes away: the button must not wait for it
                with schema_context("t_gamma"):  # other tests leave committed requests in gamma too
                    expected = ServiceRequest.objects.filter(submitted_at__gte=local_midnight(recent_months(13).start)).count()
                connection.set_schema_to_public()
                _forget_rollups(_gamma)
                before = vendor.get("/insights/").content.decode()
                assert "جمع‌بندی دوباره ارقام همه دستگاه‌ها" in before and re.search(r"شهرداری گاما \([^)]*\): ۰ درخواست", before)
                queued = vendor.post("/insights/rollup/?year=1405")
                assert queued.status_code == 302 and queued["Location"] == "/insights/?year=1405"
                run = RollupRun.objects.get()
                assert run.requested_by == VENDOR_EMAIL
                # While it is unfinished the page shows how far it got and refreshes itself.
                if run.unfinished:
                    page = vendor.get("/insights/").content.decode()
                    assert "<progress" in page and 'http-equiv="refresh"' in page
                # A second click while it runs adds no run.
                vendor.post("/insights/rollup/")
                run = _wait_for_run(run.pk)
            assert run.status == RollupRun.Status.DONE and run.tenants_done == run.tenants_total >= 3
            assert RollupRun.objects.filter(status=RollupRun.Status.DONE).count() <= 2
            assert sum(TenantMonth.objects.filter(tenant=_gamma).values_list("accepted", flat=True)) == expected
            with override_settings(INSIGHTS_MIN_REQUESTS=10**6):  # gamma stays in the list of the unranked
                page = vendor.get("/insights/").content.decode()
            assert JALALI_TIME.search(page), page
            assert re.search(rf"شهرداری گاما \([^)]*\): {to_persian_digits(expected)} درخواست <small class=\"muted\">\(جمع‌بندی [۰-۹/ :]+\)", page)
            assert 'http-equiv="refresh"' not in page
            assert re.search(r"Task insights\.tasks\.insights_rollup_run\[[^]]+\] succeeded", (tmp_path / "worker.log").read_text())
        finally:
            connection.set_schema_to_public()
            RollupRun.objects.all().delete()
            _forget_rollups()
            if service_request:
                from notifications.models import SmsMessage

                with schema_context("t_gamma"):
                    SmsMessage.objects.filter(purpose="receipt").delete()
                    ServiceRequest.objects.filter(pk=service_request.pk).delete()


def test_a_tenants_new_requests_are_rolled_up_once_by_the_worker(_gamma, tmp_path, django_db_blocker, settings):
    """Two submits within the delay: one rollup of that tenant, by the worker, with both."""
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    settings.INSIGHTS_ROLLUP_DELAY_SECONDS = 5
    log = tmp_path / "worker.log"
    made = []
    with django_db_blocker.unblock():
        try:
            with celery_worker(log):
                _forget_rollups(_gamma)
                made = [_submit("t_gamma"), _submit("t_gamma")]
                with schema_context("t_gamma"):
                    expected = ServiceRequest.objects.filter(submitted_at__gte=local_midnight(recent_months(13).start)).count()
                connection.set_schema_to_public()
                done = re.compile(r"Task insights\.tasks\.insights_rollup_tenant\[[^]]+\] succeeded")
                deadline = time.monotonic() + 60
                while not done.search(log.read_text()) and time.monotonic() < deadline:
                    time.sleep(0.2)
                assert sum(TenantMonth.objects.filter(tenant=_gamma).values_list("accepted", flat=True)) == expected
        finally:
            connection.set_schema_to_public()
            _forget_rollups()
            from notifications.models import SmsMessage

            with schema_context("t_gamma"):
                SmsMessage.objects.filter(purpose="receipt").delete()
                ServiceRequest.objects.filter(pk__in=[r.pk for r in made]).delete()
    assert len(re.findall(r"Task insights\.tasks\.insights_rollup_tenant\[[^]]+\] succeeded", log.read_text())) == 1


def test_a_tenants_first_request_is_rolled_up_after_commit(alpha_catalog, tenant_a, vendor_client, django_capture_on_commit_callbacks):
    page = vendor_client.get("/insights/").content.decode()
    assert "شهرداری آلفا (" in page and "ارقام هنوز جمع‌بندی نشده است" in page
    with django_capture_on_commit_callbacks(execute=True):
        _submit("t_alpha")
    connection.set_schema_to_public()
    assert sum(TenantMonth.objects.filter(tenant=tenant_a).values_list("accepted", flat=True)) == 1
    page = vendor_client.get("/insights/").content.decode()
    assert re.search(r"شهرداری آلفا \([^)]*\): ۱ درخواست", page)


def test_only_the_vendor_may_roll_up(db, settings, public_client, client_a):
    from accounts.models import User

    supervisor = user_make(email="sup@mizban.test", password="x-Passw0rd-1405", role=User.Role.SUPERVISOR, province_code="tehran", schema="public")
    client = host_client(settings.PLATFORM_DOMAIN)
    client.force_login(supervisor)
    assert "جمع‌بندی دوباره ارقام همه دستگاه‌ها" not in client.get("/insights/").content.decode()
    assert client.post("/insights/rollup/").status_code == 403
    assert public_client.post("/insights/rollup/").status_code == 302
    assert client_a.post("/insights/rollup/").status_code == 404  # a tenant's host has no such page
    assert not RollupRun.objects.exists()


def test_a_run_no_worker_took_does_not_block_the_button(vendor_client, tenant_a, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    lost = RollupRun.objects.create(requested_by=VENDOR_EMAIL, tenants_total=2)
    RollupRun.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=31))
    page = vendor_client.get("/insights/").content.decode()
    assert "ناتمام ماند: کارگر پس‌زمینه آن را انجام نداد" in page and 'http-equiv="refresh"' not in page
    assert re.search(r"<button type=\"submit\">جمع‌بندی دوباره ارقام همه دستگاه‌ها</button>", page)
    with django_capture_on_commit_callbacks(execute=True):
        vendor_client.post("/insights/rollup/")
    assert RollupRun.objects.get(pk=lost.pk).status == RollupRun.Status.FAILED
    assert RollupRun.objects.exclude(pk=lost.pk).get().status == RollupRun.Status.DONE
    assert JALALI_TIME.search(vendor_client.get("/insights/").content.decode())
