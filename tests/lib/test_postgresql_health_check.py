"""The kept connection's health check (CONN_HEALTH_CHECKS, lib/postgresql/base.py): a session the
server ended is noticed before the request uses it, and a live one is checked without a query."""

from __future__ import annotations

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_connection():
    """A second connection to the test database, kept between requests as production keeps it."""
    default = connections["default"]
    kept = default.__class__({**default.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}, alias="kept")
    kept.set_schema_to_public()
    try:
        yield kept
    finally:
        kept.close()


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _next_request(wrapper) -> None:
    """What Django does between two requests of a thread (the request_started signal)."""
    wrapper.close_if_unusable_or_obsolete()


def _last_statement_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_session_the_server_ended_is_replaced_before_the_request_uses_it(kept_connection):
    ended = _backend_pid(kept_connection)
    with connection.cursor() as cursor:  # as a restart or an administrator ends it
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [ended])
        assert cursor.fetchone()[0] is True

    _next_request(kept_connection)
    with kept_connection.cursor() as cursor:  # no "terminating connection" error reaches the request
        cursor.execute("SELECT 'answered'")
        assert cursor.fetchone()[0] == "answered"
    assert _backend_pid(kept_connection) != ended


def test_a_live_session_is_kept_and_checked_without_a_statement(kept_connection):
    pid = _backend_pid(kept_connection)
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last request'")

    _next_request(kept_connection)
    kept_connection.close_if_health_check_failed()  # what the request's first query does first

    assert kept_connection.health_check_done
    assert _last_statement_of(pid) == "SELECT 'the last request'"  # Django's own check would have sent SELECT 1
    assert _backend_pid(kept_connection) == pid
