"""Registry fixtures: the sample export the repository holds (registry/demo/) and
helpers to write edited copies of it."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from django.db import connection

from registry.rows import COLUMNS
from tests.conftest import SAMPLE_REGISTRY as SAMPLE


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def edit(rows: list[dict], service_id: str, **changes) -> list[dict]:
    """A copy of `rows` with one row's columns changed."""
    found = [row for row in rows if row["service_id"] == service_id]
    assert found, service_id
    return [dict(row, **changes) if row["service_id"] == service_id else dict(row) for row in rows]


def page_json(rows: list[dict], *, count: int, next_url: str | None) -> dict:
    return {"count": count, "next": next_url, "results": rows}


@pytest.fixture
def sample_path() -> Path:
    assert SAMPLE.is_file(), f"the sample export is expected at {SAMPLE}"
    return SAMPLE


@pytest.fixture
def committed_cleanup(db):
    """For tests whose syncs run on other threads or processes: those commit for real, so
    everything the registry holds is deleted afterwards (from another connection, as this
    test's own transaction is rolled back)."""
    yield

    def delete_all():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM registry_servicechange; DELETE FROM registry_invalidrow; "
                "DELETE FROM registry_nationalservice; DELETE FROM registry_syncrun;"
            )

    thread, outcome = in_thread(delete_all)
    thread.join(30)
    assert "error" not in outcome, outcome


def in_thread(target, *args, **kwargs) -> tuple[threading.Thread, dict]:
    """Run `target` on its own thread (so its own database connection); the result or the
    exception lands in the returned dict."""
    outcome: dict = {}

    def body():
        try:
            outcome["result"] = target(*args, **kwargs)
        except BaseException as error:  # handed back to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, outcome
