"""Registry fixtures: the sample export's path, and a clean-up for syncs that commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.registry_exports import SAMPLE_REGISTRY as SAMPLE
from tests.workers import in_thread


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
