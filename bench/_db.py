"""A throw-away database for a benchmark, on the configured PostgreSQL or the embedded one, and
the purge of the broker queues a benchmark filled."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_fresh_database(name: str) -> None:
    """Point DATABASE_URL at a new, empty database `name`, then set Django up on it."""
    import psycopg

    if not os.environ.get("DATABASE_URL"):
        from mizban.embedded import start_postgres

        os.environ["DATABASE_URL"] = start_postgres()
    parts = urlsplit(os.environ["DATABASE_URL"])
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")
    import django

    django.setup()


def drop_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def queues_purge(*queues: str) -> None:
    """Empty the bench's own broker queues (tasks no worker was meant to run)."""
    from mizban.celery import app as celery_app

    if celery_app.conf.broker_url.startswith("redis"):
        with celery_app.connection_for_write() as conn:
            for queue in queues:
                conn.default_channel.queue_purge(queue)
