"""What each of a citizen's requests costs the machine, one at a time, against gunicorn with the
production settings (one worker, one thread, so nothing queues and nothing contends):

    python bench/request_cost.py [--requests 200] [--tenants 2] [--database NAME]

The same throw-away platform and server as bench/load.py. For each of the load bench's requests
(the home page, the catalogue, a service's page, a submit with two files, a look-up) it sends
`--requests` of them in a row on one kept-alive connection and reads the CPU time that gunicorn,
the PostgreSQL backends of its database, Redis and this client spent meanwhile (/proc, user
and system; Redis is the whole server's, shared with whatever else uses it). Prints
one JSON line: per request kind, the wall time and each party's CPU in ms per request. Their sum
over a citizen's round (three pages, a submit, a look-up) is what bench/load.py's two cores must
serve about 40 times a second (README, Benchmarks).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid

from _citizen import NATIONAL_CODE, applicant_fields, demo_tenants_make, free_port, multipart, two_files
from _db import drop_database, queues_purge, use_fresh_database
from load import NONCE, PROXY, QUEUE, published_cards, server_start

DATABASE = "mizban_bench_request_cost"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> float:
    """User and system CPU of the processes `pids` (those still there)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def parties(server_pid: int, database: str) -> dict[str, list[int]]:
    """The processes serving this bench alone: its gunicorn (master and worker), the PostgreSQL
    backends connected to its database (not this process's own), and Redis (shared: the whole
    server's)."""
    from django.db import connection

    with open(f"/proc/{server_pid}/task/{server_pid}/children") as children:
        gunicorn = [server_pid, *map(int, children.read().split())]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])
        postgres = [pid for (pid,) in cursor.fetchall()]
    redis = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if comm.read().startswith("redis-server"):
                    redis.append(int(pid))
        except OSError:
            continue
    return {"gunicorn_ms": gunicorn, "postgres_ms": postgres, "redis_ms": redis}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="of each kind")
    parser.add_argument("--tenants", type=int, default=2)
    parser.add_argument("--database", default=DATABASE, help="the throw-away database's name (dropped first and after)")
    args = parser.parse_args()

    os.environ.update(CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE)
    media = tempfile.mkdtemp(prefix="mizban-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    use_fresh_database(args.database)
    server = None
    try:
        tenants = demo_tenants_make(args.tenants, prefix="cost")
        cards = published_cards(tenants[0])
        port = free_port()
        with open(os.devnull, "w") as log:
            server = server_start(port, argparse.Namespace(workers=1, threads=1), log)
        print(json.dumps(measure(port, tenants[0].subdomain, cards, args.requests, lambda: parties(server.pid, args.database))))
    finally:
        if server:
            server.terminate()
            server.wait()
        queues_purge(QUEUE)
        drop_database(args.database)
        shutil.rmtree(media, ignore_errors=True)


def measure(port: int, host: str, cards: list[str], count: int, find_parties) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    files, codes = two_files(), []

    def send(method, path, body=None, headers=None, expected=200) -> bytes:
        connection.request(method, path, body=body, headers={"Host": host, **PROXY, **(headers or {})})
        response = connection.getresponse()
        answer = response.read()
        if response.status != expected:
            raise RuntimeError(f"{method} {path}: {response.status} {answer[:300]!r}")
        return answer

    def submit():
        nonce = uuid.uuid4()
        body, content_type = multipart(applicant_fields(f"درخواست، {NONCE} {nonce}"), files)
        answer = send("POST", "/api/requests/", body, {"Content-Type": content_type, "Idempotency-Key": str(nonce)}, expected=201)
        codes.append(json.loads(answer)["tracking_code"])

    def look_up():
        send("POST", "/api/requests/track/", json.dumps({"code": codes.pop(), "identity": NATIONAL_CODE}), {"Content-Type": "application/json"})

    kinds = {
        "home": lambda: send("GET", "/"), "catalogue": lambda: send("GET", "/services/"),
        "service": lambda: send("GET", f"/services/{cards[0]}/"), "submit": submit, "look_up": look_up,
    }
    for request in kinds.values():  # the worker's caches filled, as on a server up for a while
        for _ in range(5):
            request()
    for _ in range(count):  # a look-up for each measured one
        submit()
    serving = find_parties()  # after the warm-up: the worker's connection to PostgreSQL is open
    figures = {}
    for kind, request in kinds.items():
        before = {party: cpu_seconds(pids) for party, pids in serving.items()}
        client_before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for _ in range(count):
            request()
        wall, client_after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF)
        figures[kind] = {"wall_ms": round(wall / count * 1000, 2)}
        for party, pids in serving.items():
            figures[kind][party] = round((cpu_seconds(pids) - before[party]) / count * 1000, 2)
        client = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
        figures[kind]["client_ms"] = round(client / count * 1000, 2)
    round_parts = ("home", "catalogue", "service", "submit", "look_up")
    figures["citizen_round_cpu_ms"] = round(sum(sum(v for k, v in figures[kind].items() if k != "wall_ms") for kind in round_parts), 1)
    return figures


if __name__ == "__main__":
    sys.exit(main())
