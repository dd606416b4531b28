"""lib/pgbouncer.py: a real PgBouncer in front of the session's test database."""

from __future__ import annotations

import socket

import psycopg
import pytest
from django.db import connection

from lib.pgbouncer import PgBouncer, PgBouncerError
from tests.workers import database_url_for, free_port


@pytest.fixture
def test_database_url(django_db_setup):
    return database_url_for(connection.settings_dict["NAME"])


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_session_pooling_serves_the_database_and_resets_a_session_for_the_next_client(test_database_url):
    with PgBouncer(test_database_url, port=free_port(), pool_mode="session", pool_size=1) as bouncer:
        with psycopg.connect(bouncer.url(), autocommit=True) as first:
            assert first.execute("SELECT current_database()").fetchone()[0] == connection.settings_dict["NAME"]
            first.execute("SET search_path TO t_alpha")
            # Session pooling: the server connection stays this client's for its whole session.
            assert first.execute("SHOW search_path").fetchone()[0] == "t_alpha"
            server_pid = first.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(bouncer.url(), autocommit=True) as second:
            # The same server connection (pool of one), reset (DISCARD ALL) before it was handed on.
            assert second.execute("SELECT pg_backend_pid()").fetchone()[0] == server_pid
            assert second.execute("SHOW search_path").fetchone()[0] == '"$user", public'


def test_transaction_pooling_hands_one_clients_search_path_to_another(test_database_url):
    """Why the product refuses transaction pooling (README, Pooling): django-tenants' session
    `SET search_path` outlives the transaction and reaches the next client's queries."""
    with PgBouncer(test_database_url, port=free_port(), pool_mode="transaction", pool_size=1) as bouncer:
        with psycopg.connect(bouncer.url(), autocommit=True) as alpha, psycopg.connect(bouncer.url(), autocommit=True) as beta:
            alpha.execute("SET search_path TO t_alpha")
            assert beta.execute("SHOW search_path").fetchone()[0] == "t_alpha"


def test_stop_ends_the_process_and_removes_its_folder(test_database_url):
    port = free_port()
    bouncer = PgBouncer(test_database_url, port=port)
    with bouncer:
        directory = bouncer.directory
        assert directory.exists() and _listening(port)
        process = bouncer.process
    assert process.poll() is not None
    assert not directory.exists()
    assert not _listening(port)


def test_a_port_already_taken_is_refused_with_pgbouncers_reason(test_database_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PgBouncerError) as refused:
            PgBouncer(test_database_url, port=port).start()
    assert "Address already in use" in str(refused.value)


def test_an_unknown_pool_mode_is_refused(test_database_url):
    with pytest.raises(PgBouncerError, match="pool_mode must be one of session, transaction, statement"):
        PgBouncer(test_database_url, port=free_port(), pool_mode="sessions")
