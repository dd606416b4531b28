"""A local Citus cluster for development, tests and benchmarks: a coordinator and two workers.

    python scripts/citus.py build    # build and install Citus from ../shared/vendor/citus once
    python scripts/citus.py up       # build if needed, start the three nodes (make citus-up)
    python scripts/citus.py down     # stop them (make citus-down)
    python scripts/citus.py status   # exit 0 when the coordinator answers with its workers
    python scripts/citus.py url [--database NAME]   # the coordinator's URL

Citus is not packaged for Debian 12, so it is built from the release source kept beside the
repository (`../shared/vendor/citus/`, the only place the project reads there; `CITUS_SOURCE`
names another folder) into a build folder outside the repository, and installed into the
machine's PostgreSQL 15 (`pg_config`); the build is skipped when the installed `citus.so` is
that version. Each node is its own throw-away cluster (`initdb`), run by the `postgres` user
when started as root, on ports CITUS_PORT (9700, the coordinator), +1 and +2, with data under
CITUS_DATA (/tmp/mizban-citus-<port>). The machine's own PostgreSQL is never touched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # lib.citus, imported where needed (psycopg is in .venv)

VERSION = "13.2.2"
PORT = int(os.environ.get("CITUS_PORT") or 9700)
WORKERS = 2
SOURCE = Path(os.environ.get("CITUS_SOURCE") or ROOT.parent / "shared" / "vendor" / "citus")
DATA = Path(os.environ.get("CITUS_DATA") or f"/tmp/mizban-citus-{PORT}")
BUILD = Path(os.environ.get("CITUS_BUILD") or f"{os.environ.get('TMPDIR') or '/tmp'}/mizban-citus-build")
# Each node's settings: Citus preloaded; logical WAL so that a schema moves while writes go on.
NODE_CONF = """
shared_preload_libraries = 'citus'
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
max_connections = 300
listen_addresses = 'localhost'
unix_socket_directories = '{sockets}'
fsync = {fsync}
synchronous_commit = off
full_page_writes = {fsync}
citus.max_shared_pool_size = 200
log_min_messages = warning
"""


def say(message: str) -> None:
    print(f"citus: {message}", flush=True)


def pg_config(option: str) -> str:
    return subprocess.run(["pg_config", option], check=True, capture_output=True, text=True).stdout.strip()


def pg_bin() -> Path:
    return Path(pg_config("--bindir"))


def installed_version() -> str | None:
    library = Path(pg_config("--pkglibdir")) / "citus.so"
    if not library.exists():
        return None
    found = re.search(rb"Citus (\d+\.\d+\.\d+)", library.read_bytes())
    return found.group(1).decode() if found else None


def build(*, force: bool = False) -> None:
    """Build and install Citus from the vendored source, unless that version is installed."""
    if not force and installed_version() == VERSION:
        say(f"Citus {VERSION} is installed ({pg_config('--pkglibdir')}/citus.so); no build")
        return
    archive = SOURCE / f"citus-{VERSION}.tar.gz"
    if not archive.exists():
        sys.exit(f"citus: {archive} is missing: Citus {VERSION} is not installed and cannot be built here")
    started = time.monotonic()
    shutil.rmtree(BUILD, ignore_errors=True)
    BUILD.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(BUILD, filter="data")
    tree = BUILD / f"citus-{VERSION}"
    for patch in sorted(SOURCE.glob("*.patch")):
        subprocess.run(["patch", "-p1", "-s", "-i", str(patch)], cwd=tree, check=True)
    log = BUILD / "build.log"
    with open(log, "w") as out:
        # Installing writes into PostgreSQL's own folders: root, or sudo.
        sudo = [] if os.geteuid() == 0 or os.access(pg_config("--pkglibdir"), os.W_OK) else ["sudo"]
        for step in (["./configure"], ["make", f"-j{os.cpu_count() or 2}"], [*sudo, "make", "install"]):
            say(" ".join(step) + f" (log: {log})")
            if subprocess.run(step, cwd=tree, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                sys.exit(f"citus: {' '.join(step)} failed; the end of {log}:\n" + log.read_text()[-3000:])
    say(f"Citus {installed_version()} built and installed in {time.monotonic() - started:.0f} s")


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def nodes() -> list[tuple[str, int, Path]]:
    return [("coordinator" if i == 0 else f"worker{i}", PORT + i, DATA / f"node{i}") for i in range(WORKERS + 1)]


def _answers(port: int) -> bool:
    probe = [str(pg_bin() / "pg_isready"), "-q", "-h", "localhost", "-p", str(port)]
    return subprocess.run(probe, capture_output=True).returncode == 0


def coordinator_url(database: str = "postgres") -> str:
    return f"postgres://postgres@localhost:{PORT}/{database}"


def up() -> None:
    build()
    DATA.mkdir(parents=True, exist_ok=True)
    sockets = DATA / "sockets"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(DATA, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    fsync = "on" if os.environ.get("CITUS_FSYNC") == "1" else "off"  # throw-away nodes: no fsync
    for name, port, folder in nodes():
        if not (folder / "PG_VERSION").exists():
            subprocess.run(
                _as_postgres([str(pg_bin() / "initdb"), "-D", str(folder), "-U", "postgres", "--auth=trust",
                              "-E", "UTF8", "--locale=C.UTF-8"]),
                check=True, capture_output=True,
            )
            with open(folder / "postgresql.conf", "a") as conf:
                conf.write(NODE_CONF.format(sockets=sockets, fsync=fsync) + f"port = {port}\n")
        if not _answers(port):
            subprocess.run(
                _as_postgres([str(pg_bin() / "pg_ctl"), "-D", str(folder), "-l", str(DATA / f"{name}.log"),
                              "-w", "-t", "60", "start"]),
                check=True, capture_output=True,
            )
        say(f"{name} on localhost:{port} ({folder})")
    _register_workers()
    say(f"cluster up: {coordinator_url('DATABASE')} (workers {', '.join(str(p) for _, p, _ in nodes()[1:])})")


def psql(port: int, sql: str, database: str = "postgres") -> str:
    """One statement through psql (the script runs before any virtualenv exists, in CI)."""
    command = [str(pg_bin() / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "localhost",
               "-p", str(port), "-U", "postgres", "-d", database, "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def _register_workers() -> None:
    """The citus extension in every node's `postgres` database and the workers added there:
    the list of nodes that `lib.citus.database_create` copies into each new database."""
    for _name, port, _folder in nodes():
        psql(port, "CREATE EXTENSION IF NOT EXISTS citus")
    psql(PORT, f"SELECT citus_set_coordinator_host('localhost', {PORT})")
    known = {int(p) for p in psql(PORT, "SELECT nodeport FROM pg_dist_node").split()}
    for _name, port, _folder in nodes()[1:]:
        if port not in known:
            psql(PORT, f"SELECT citus_add_node('localhost', {port})")


def down(*, remove: bool = False) -> None:
    for name, port, folder in reversed(nodes()):
        if (folder / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(pg_bin() / "pg_ctl"), "-D", str(folder), "-w", "-m", "fast", "stop"]),
                           capture_output=True)
            say(f"{name} on {port} stopped")
    if remove:
        shutil.rmtree(DATA, ignore_errors=True)
        say(f"{DATA} removed")


def status() -> bool:
    """The three nodes answer and the coordinator knows both workers."""
    if not all(_answers(port) for _, port, _ in nodes()):
        return False
    try:
        workers = psql(PORT, "SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND isactive")
    except subprocess.CalledProcessError:
        return False
    return workers == str(WORKERS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "up", "down", "status", "url", "createdb", "dropdb"])
    parser.add_argument("--database", default="mizban")
    parser.add_argument("--force", action="store_true", help="build: build even when installed")
    parser.add_argument("--remove", action="store_true", help="down: remove the data folders too")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args()
    if args.command == "build":
        build(force=args.force)
    elif args.command == "up":
        up()
    elif args.command == "down":
        down(remove=args.remove)
    elif args.command == "status":
        ok = status()
        if not args.quiet:
            say("up" if ok else "not running")
        sys.exit(0 if ok else 1)
    elif args.command == "url":
        print(coordinator_url(args.database))
    elif args.command in ("createdb", "dropdb"):
        from lib import citus

    if args.command == "createdb":
        citus.database_create(coordinator_url(args.database))
        say(f"database {args.database} on every node, schema-based sharding on")
    elif args.command == "dropdb":
        citus.database_drop(coordinator_url(args.database))


if __name__ == "__main__":
    main()
