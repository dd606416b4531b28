"""The HTTP JSON source against a local server speaking the registry's paginated format."""

import time

import pytest

from lib.persian import normalize_text
from registry.models import InvalidRow, NationalService, ServiceChange
from registry.services import registry_sync
from tests.builders import STAFF_PASSWORD, VENDOR_EMAIL
from tests.clients import host_client
from tests.registry_exports import edit, page_json, sample_rows


@pytest.fixture
def fast_retries(settings):
    settings.REGISTRY_HTTP_RETRIES = 2
    settings.REGISTRY_HTTP_BACKOFF = 0
    settings.REGISTRY_HTTP_TIMEOUT = 5


def _serve(httpserver, pages: list, *, count: int | None = None):
    """Serve `pages` (lists of rows, or a (status, body) pair for a failing page) as
    /services?page=N, each pointing at the next."""
    count = sum(len(p) for p in pages if isinstance(p, list)) if count is None else count
    for number, rows in enumerate(pages, start=1):
        request = httpserver.expect_request("/services", query_string=f"page={number}")
        if isinstance(rows, tuple):
            request.respond_with_data(rows[1], status=rows[0])
            continue
        following = httpserver.url_for("/services") + f"?page={number + 1}" if number < len(pages) else None
        request.respond_with_json(page_json(rows, count=count, next_url=following))
    return httpserver.url_for("/").rstrip("/")


def _thirds(rows):
    return [rows[:14], rows[14:28], rows[28:]]


def test_three_pages_give_the_whole_registry(db, httpserver, fast_retries):
    base = _serve(httpserver, _thirds(sample_rows()))
    run = registry_sync(url=base)

    assert run.outcome == "succeeded", run.error
    assert run.source == f"url:{base}"
    assert (run.rows_read, run.added, run.invalid) == (41, 41, 0)
    assert NationalService.objects.filter(status="approved").count() == 40
    assert NationalService.objects.filter(status="retired").count() == 1
    assert set(NationalService.objects.values_list("service_id", "title")) == {
        (r["service_id"], normalize_text(r["title"])) for r in sample_rows()
    }
    pages_asked = sorted(request.args["page"] for request, _response in httpserver.log)
    assert pages_asked == ["1", "2", "3"]

    again = registry_sync(url=base)
    assert again.unchanged == 41 and again.added == again.changed == 0


def test_a_500_on_page_two_applies_nothing_and_the_run_says_why(db, httpserver, fast_retries, sample_path):
    registry_sync(file=str(sample_path))
    before = list(NationalService.objects.order_by("service_id").values())
    # Page one carries a change, page three would carry the rest: neither may land.
    rows = edit(sample_rows(), "10901010000", title="صدور پروانه ساختمان (تغییر)")
    first, _second, third = _thirds(rows)
    base = _serve(httpserver, [first, (500, "Internal Server Error"), third])

    run = registry_sync(url=base)

    assert run.outcome == "failed"
    assert "صفحه 2" in run.error and "500" in run.error
    assert run.finished_at is not None
    assert list(NationalService.objects.order_by("service_id").values()) == before
    assert not ServiceChange.objects.filter(run=run).exists()
    assert not InvalidRow.objects.filter(run=run).exists()
    # The failing page was asked for again before giving up (1 + 2 retries); page 3 never.
    pages_asked = [request.args["page"] for request, _response in httpserver.log]
    assert pages_asked.count("2") == 3 and "3" not in pages_asked

    page = _console_run_page(run)
    assert "ناموفق" in page and "HTTP 500" in page and "هیچ تغییری در آینه اعمال نشد" in page


def _console_run_page(run) -> str:
    client = host_client("localhost")
    assert client.login(email=VENDOR_EMAIL, password=STAFF_PASSWORD)
    return client.get(f"/console/registry/runs/{run.pk}/").content.decode()


def test_a_short_export_is_refused(db, httpserver, fast_retries):
    base = _serve(httpserver, _thirds(sample_rows()), count=50)
    run = registry_sync(url=base)
    assert run.outcome == "failed" and "50" in run.error and "41" in run.error
    assert not NationalService.objects.exists()


def test_a_page_that_is_not_json_fails_the_run(db, httpserver, fast_retries):
    rows = sample_rows()
    base = _serve(httpserver, [rows[:20], (200, "<html>maintenance</html>")])
    run = registry_sync(url=base)
    assert run.outcome == "failed" and "JSON" in run.error
    assert not NationalService.objects.exists()


def test_a_server_that_does_not_answer_in_time_fails_the_run(db, httpserver, settings):
    settings.REGISTRY_HTTP_RETRIES = 0
    settings.REGISTRY_HTTP_TIMEOUT = 0.3

    def slow(request):
        time.sleep(1)
        from werkzeug import Response

        return Response("{}", content_type="application/json")

    httpserver.expect_request("/services").respond_with_handler(slow)
    started = time.monotonic()
    run = registry_sync(url=httpserver.url_for("/"))
    assert time.monotonic() - started < 1
    assert run.outcome == "failed" and "صفحه 1" in run.error
