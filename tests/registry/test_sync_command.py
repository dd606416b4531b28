"""`manage.py sync_registry --file/--url`: a progress bar, a summary, a failing exit code."""

import pytest
from django.core.management import CommandError, call_command

from registry.models import NationalService, SyncRun
from tests.registry_exports import edit, page_json, sample_rows, write_csv

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def test_file_with_progress_bar_and_summary(db, sample_path, capsys):
    call_command("sync_registry", file=str(sample_path))
    out, err = capsys.readouterr()
    assert "100.0% 41/41 rows" in err
    assert "rows 41: added 41, changed 0, retired 0, unchanged 0, invalid 0; missing from this export 0" in out
    assert NationalService.objects.count() == 41


def test_invalid_rows_are_listed_with_their_reason(db, sample_path, tmp_path, capsys):
    rows = edit(sample_rows(), "10901060000", title="")
    call_command("sync_registry", file=str(write_csv(tmp_path / "bad.csv", rows)), no_progress=True)
    out = capsys.readouterr().out
    assert "invalid 1" in out and "10901060000: عنوان خدمت خالی است." in out


def test_url(db, httpserver, settings, capsys):
    settings.REGISTRY_HTTP_BACKOFF = 0
    httpserver.expect_request("/services", query_string="page=1").respond_with_json(
        page_json(sample_rows(), count=41, next_url=None)
    )
    call_command("sync_registry", url=httpserver.url_for("/"))
    assert "added 41" in capsys.readouterr().out


def test_a_failed_run_exits_with_an_error_and_says_why(db, httpserver, settings):
    settings.REGISTRY_HTTP_RETRIES, settings.REGISTRY_HTTP_BACKOFF = 1, 0
    httpserver.expect_request("/services").respond_with_data("down", status=503)
    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("sync_registry", url=httpserver.url_for("/"), no_progress=True)
    assert SyncRun.objects.get().outcome == "failed"
    assert not NationalService.objects.exists()


def test_file_and_url_together_are_refused(db, sample_path):
    with pytest.raises(CommandError):
        call_command("sync_registry", "--file", str(sample_path), "--url", "http://127.0.0.1:9/")
