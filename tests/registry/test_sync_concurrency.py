"""Two syncs never run at once: while one holds the advisory lock, a second is refused
(recorded as such, nothing applied) rather than queued behind it.

The syncs run on their own threads and in another process, against the real test
database, so they commit; `committed_cleanup` removes what they wrote.
"""

import json
import os
import subprocess
import sys
import threading

from django.db import connection, transaction
from werkzeug import Response

from registry.models import NationalService, SyncRun
from registry.services import registry_sync
from registry.sync import sync_lock_try
from tests.registry_exports import page_json, sample_rows
from tests.workers import ROOT, database_url_for, in_thread


def test_a_sync_started_while_another_runs_is_refused(committed_cleanup, httpserver, settings, sample_path):
    settings.REGISTRY_HTTP_RETRIES, settings.REGISTRY_HTTP_TIMEOUT = 0, 30
    rows = sample_rows()
    reached_page_two, release = threading.Event(), threading.Event()

    def page_two(request):
        reached_page_two.set()
        release.wait(20)
        body = page_json(rows[20:], count=41, next_url=None)
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")

    httpserver.expect_request("/services", query_string="page=1").respond_with_json(
        page_json(rows[:20], count=41, next_url=httpserver.url_for("/services") + "?page=2")
    )
    httpserver.expect_request("/services", query_string="page=2").respond_with_handler(page_two)

    first_thread, first = in_thread(registry_sync, url=httpserver.url_for("/"), triggered_by="first")
    assert reached_page_two.wait(20), "the first sync never got to page two"

    second_thread, second = in_thread(registry_sync, file=str(sample_path), triggered_by="second")
    second_thread.join(30)
    assert second["result"].outcome == SyncRun.Outcome.REFUSED
    assert "همگام‌سازی دیگری در جریان است" in second["result"].error
    assert SyncRun.objects.get(triggered_by="first").outcome == SyncRun.Outcome.RUNNING
    assert not NationalService.objects.exists()  # the first one has not committed yet

    release.set()
    first_thread.join(30)
    assert "error" not in first, first.get("error")
    assert first["result"].outcome == SyncRun.Outcome.SUCCEEDED and first["result"].added == 41
    assert NationalService.objects.count() == 41

    # The lock went with the first sync's transaction: the next one runs.
    third_thread, third = in_thread(registry_sync, file=str(sample_path), triggered_by="third")
    third_thread.join(30)
    assert third["result"].outcome == SyncRun.Outcome.SUCCEEDED and third["result"].unchanged == 41


def _hold_the_lock(holding: threading.Event, release: threading.Event) -> bool:
    with transaction.atomic():
        taken = sync_lock_try()
        holding.set()
        release.wait(120)
    return taken


def test_the_command_in_another_process_is_refused_while_the_lock_is_held(committed_cleanup, sample_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="mizban.settings_test",
               DATABASE_URL=database_url_for(connection.settings_dict["NAME"]))
    command = [sys.executable, "manage.py", "sync_registry", "--file", str(sample_path), "--no-progress"]
    holding, release = threading.Event(), threading.Event()
    holder, held = in_thread(_hold_the_lock, holding, release)
    assert holding.wait(20)
    try:
        refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        release.set()
        holder.join(30)
    assert held["result"] is True
    assert refused.returncode != 0
    assert "(refused)" in refused.stdout and "Nothing was applied" in refused.stderr
    assert not NationalService.objects.exists()

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "added 41" in done.stdout
    assert NationalService.objects.count() == 41
