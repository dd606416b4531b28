"""Requests over HTTP: final submits through the API (two 50 KB files each) and tracking look-ups.

    python bench/intake.py [--submits 300] [--lookups 1500] [--threads 8]

Makes a throw-away database with one demo municipality, starts gunicorn on it (2 workers, a free
loopback port) and drives it with a thread pool; every submit has its own Idempotency-Key, and
the look-ups are spread over the codes the submits got (a few each, by national code or mobile),
so that the per-code limit holds as it would in life. The per-IP limit is raised through the
server's environment (INTAKE_TRACK_LIMIT_PER_IP): all the traffic comes from one address.

Or point it at a server already running (its per-IP limit raised the same way):

    python bench/intake.py --url http://127.0.0.1:8000 --host alpha.localhost --service 10901010100

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from _citizen import MOBILE, NATIONAL_CODE, SERVICE, applicant_fields, call, demo_tenants_make, free_port, gunicorn_start, multipart, two_files
from _db import drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_intake"
QUEUE = "mizban-bench-intake"  # a queue no worker reads (the receipts' SMS); purged afterwards
SLUG = "bench"
WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submits", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--url", help="a running server instead of a throw-away one")
    parser.add_argument("--host", help="the tenant's host name on that server")
    parser.add_argument("--service", default=SERVICE)
    args = parser.parse_args()
    if args.url:
        parts = urlsplit(args.url)
        print(json.dumps(drive(parts.hostname, parts.port or 80, args.host or parts.hostname, args)))
        return

    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    media = tempfile.mkdtemp(prefix="mizban-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    use_fresh_database(DATABASE)
    server = None
    try:
        tenant_host = prepare()
        port = free_port()
        server = server_start(port)
        print(json.dumps(drive("127.0.0.1", port, f"{tenant_host}:{port}", args)))
    finally:
        if server:
            server.terminate()
            server.wait(15)
        queues_purge(QUEUE)
        drop_database(DATABASE)
        shutil.rmtree(media, ignore_errors=True)


# --- The throw-away platform ------------------------------------------------------------------


def prepare() -> str:
    """Shared schema, one onboarded municipality with the demo catalogue; returns its host."""
    return demo_tenants_make(1, prefix=SLUG)[0].subdomain


def server_start(port: int):
    env = dict(
        DJANGO_ENV="development", DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="mizban.settings", PLATFORM_PORT=str(port),
        INTAKE_TRACK_LIMIT_PER_IP=str(10**9), DATABASE_CONN_MAX_AGE="60", LOG_LEVEL="ERROR",
    )
    return gunicorn_start(port, env, ["--workers", "2", "--backlog", "512", "--timeout", "60", "--log-level", "warning"])


# --- The load ---------------------------------------------------------------------------------


def drive(host: str, port: int, tenant_host: str, args) -> dict:
    body, content_type = multipart({**applicant_fields(), "service": args.service}, two_files())
    errors = 0

    def submit(_):
        headers = {"Host": tenant_host, "Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())}
        started = time.perf_counter()
        try:
            status, answer = call(host, port, "POST", "/api/requests/", headers, body)
        except OSError:
            return None, time.perf_counter() - started
        return (json.loads(answer)["tracking_code"] if status == 201 else None), time.perf_counter() - started

    def lookup(query):
        headers = {"Host": tenant_host, "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            status, _ = call(host, port, "POST", "/api/requests/track/", headers, json.dumps(query).encode())
        except OSError:
            status = 0
        return status == 200, time.perf_counter() - started

    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(submit, range(WARM_UP)))  # connections, caches, imports
        started = time.perf_counter()
        submitted = list(pool.map(submit, range(args.submits)))
        submit_s = time.perf_counter() - started
        codes = [code for code, _ in submitted if code]
        errors += len(submitted) - len(codes)
        queries = [{"code": codes[i % len(codes)], "identity": (NATIONAL_CODE, MOBILE)[i % 2]} for i in range(args.lookups)] if codes else []
        random.Random(7).shuffle(queries)
        started = time.perf_counter()
        looked = list(pool.map(lookup, queries))
        lookup_s = time.perf_counter() - started
        errors += sum(1 for ok, _ in looked if not ok) + (args.lookups - len(queries))

    def ms(samples, q):
        return round(statistics.quantiles(samples, n=100)[q - 1] * 1000, 1) if len(samples) > 1 else None

    submit_times, lookup_times = [t for _, t in submitted], [t for _, t in looked]
    return {
        "submits_per_s": round(len(submitted) / submit_s, 1),
        "submit_p50_ms": ms(submit_times, 50), "submit_p95_ms": ms(submit_times, 95),
        "lookups_per_s": round(len(looked) / lookup_s, 1) if looked else 0,
        "lookup_p50_ms": ms(lookup_times, 50), "lookup_p95_ms": ms(lookup_times, 95),
        "errors": errors,
    }


if __name__ == "__main__":
    main()
