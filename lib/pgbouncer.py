"""A local PgBouncer (Debian's `pgbouncer` package) in front of a PostgreSQL URL.

Used by `make run` when `PGBOUNCER=1` (scripts/run_all.py), by the tests that prove tenancy
stays correct behind a pooler, and by the scale benchmark. Everything it writes (the
configuration, the user list, the log) lives in a temporary folder removed on stop.

PgBouncer refuses to run as root; started by root it is told to switch to an unprivileged
user (`-u`, `postgres` where that user exists, else `nobody`), which then owns the folder.
Only loopback listens, with `auth_type = trust`: the pooler adds no network exposure, and
PostgreSQL still authenticates PgBouncer's own connections with the URL's credentials.

Tenancy allows session pooling only (see README, "Pooling"): `transaction` and `statement`
are accepted here so that a test can show why, never by the product's settings.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

POOL_MODES = ("session", "transaction", "statement")
_BINARIES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")
_START_TIMEOUT_SECONDS = 15.0


class PgBouncerError(RuntimeError):
    """PgBouncer is missing or would not start; the message says why (with its last log lines)."""


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or next((path for path in _BINARIES if os.access(path, os.X_OK)), None)
    if not found:
        raise PgBouncerError(
            "pgbouncer is not installed: install Debian's package (apt-get install pgbouncer), "
            "or leave PGBOUNCER unset to connect to PostgreSQL directly."
        )
    return found


def _server(url: str) -> dict:
    """Host, port, user, password and database of a PostgreSQL URL (a socket folder as host too)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = unquote(parts.hostname or "") or query.get("host", [""])[0] or "127.0.0.1"
    return {
        "host": host,
        "port": parts.port or int(query.get("port", ["5432"])[0]),
        "user": unquote(parts.username or "") or "postgres",
        "password": unquote(parts.password or ""),
        "dbname": unquote(parts.path.lstrip("/")) or "postgres",
    }


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _run_as_user() -> str | None:
    """The user PgBouncer switches to when started by root (it will not run as root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PgBouncerError("pgbouncer will not run as root and neither user postgres nor nobody exists.")


def pgbouncer_stats(console_url: str) -> dict[str, dict]:
    """`SHOW STATS` of a PgBouncer's admin console (its `pgbouncer` database, as an admin
    user): per database, the queries and transactions it passed on."""
    import psycopg

    with psycopg.connect(console_url, autocommit=True) as console:
        cursor = console.cursor()
        cursor.execute("SHOW STATS")
        names = [column.name for column in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


class PgBouncer:
    """A PgBouncer process: `with PgBouncer(url, port=6432) as bouncer: bouncer.url(...)`.

    Any database name asked for is passed through to the same PostgreSQL server (a `*`
    entry), so the tests' `test_…` database and the benchmark's throw-away ones work too.
    """

    def __init__(
        self,
        database_url: str,
        *,
        port: int,
        pool_mode: str = "session",
        pool_size: int = 20,
        max_client_conn: int = 500,
        host: str = "127.0.0.1",
    ) -> None:
        if pool_mode not in POOL_MODES:
            raise PgBouncerError(f"pool_mode must be one of {', '.join(POOL_MODES)}, not {pool_mode!r}.")
        self.database_url = database_url
        self.server = _server(database_url)
        self.host = host
        self.port = port
        self.pool_mode = pool_mode
        self.pool_size = pool_size
        self.max_client_conn = max_client_conn
        self.directory: Path | None = None
        self.process: subprocess.Popen | None = None

    # --- the URL clients use ------------------------------------------------------------
    def url(self, dbname: str | None = None) -> str:
        """The database URL through the pooler (the same database unless `dbname` is given)."""
        parts = urlsplit(self.database_url)
        user = parts.username or self.server["user"]
        auth = user + (f":{parts.password}" if parts.password else "")
        path = "/" + (dbname or self.server["dbname"])
        return urlunsplit(("postgres", f"{auth}@{self.host}:{self.port}", path, "", ""))

    def stats(self) -> dict[str, dict]:
        return pgbouncer_stats(self.url("pgbouncer"))

    # --- start and stop -----------------------------------------------------------------
    def _write_config(self) -> Path:
        assert self.directory is not None
        server = self.server
        target = f"host={server['host']} port={server['port']} user={server['user']}"
        if server["password"]:
            target += f" password={server['password']}"
        config = self.directory / "pgbouncer.ini"
        config.write_text(
            "\n".join([
                "[databases]",
                f"* = {target}",
                "",
                "[pgbouncer]",
                f"listen_addr = {self.host}",
                f"listen_port = {self.port}",
                "unix_socket_dir =",
                "auth_type = trust",
                f"auth_file = {self.directory / 'users.txt'}",
                f"pool_mode = {self.pool_mode}",
                f"default_pool_size = {self.pool_size}",
                f"max_client_conn = {self.max_client_conn}",
                "server_reset_query = DISCARD ALL",
                # Django's psycopg sends these start-up parameters; PgBouncer must pass them on.
                "ignore_startup_parameters = extra_float_digits,options",
                "admin_users = " + server["user"],
                "",
            ])
        )
        (self.directory / "users.txt").write_text(f"{_quoted(server['user'])} {_quoted(server['password'])}\n")
        return config

    def start(self) -> PgBouncer:
        binary = pgbouncer_binary()
        self.directory = Path(tempfile.mkdtemp(prefix="mizban-pgbouncer-"))
        config = self._write_config()
        command = [binary]
        user = _run_as_user()
        if user:
            entry = pwd.getpwnam(user)
            for path in (self.directory, *self.directory.iterdir()):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            command += ["-u", user]
        command.append(str(config))
        self._log = open(self.directory / "pgbouncer.log", "wb")  # opened here, so root-owned is fine
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_listening()
        return self

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log_tail()
                self.stop()
                raise PgBouncerError(f"pgbouncer stopped at start-up (exit code {self.process.returncode}):\n{log}")
            # "process up" comes once it listens: a connect alone could reach whoever else holds the port.
            if "process up" in self.log_tail(50):
                socket.create_connection((self.host, self.port), timeout=2).close()
                return
            time.sleep(0.05)  # polling for PgBouncer's own word, not waiting out a duration
        log = self.log_tail()
        self.stop()
        raise PgBouncerError(f"pgbouncer did not listen on {self.host}:{self.port} within {_START_TIMEOUT_SECONDS:.0f} s:\n{log}")

    def log_tail(self, lines: int = 20) -> str:
        if self.directory is None or not (self.directory / "pgbouncer.log").exists():
            return ""
        return "\n".join((self.directory / "pgbouncer.log").read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: PgBouncer closes its connections and exits
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> PgBouncer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
