"""Load: many citizens at once over many tenants, against gunicorn with the production settings.

    python bench/load.py [--clients 200] [--tenants 50] [--duration 60] [--think 1.0]
                         [--workers 2] [--threads 4]

Makes a throw-away database with `--tenants` demo municipalities (onboarded as the vendor does,
each with the demo catalogue), collects the static files and starts gunicorn with
DJANGO_ENV=production (DEBUG off, persistent database connections, WhiteNoise's manifest; every
request says X-Forwarded-Proto: https, as the TLS proxy in front of it would). Then `--clients`
citizens, spread evenly over the tenants, each on its own tenant's host, repeat for
`--duration` seconds what a citizen does: the portal's home page, the catalogue and one
service's page, a request with two files (POST /api/requests/, multipart, its own
Idempotency-Key), and a look-up of its tracking code (POST /api/requests/track/), reading each
answer for `--think` seconds on average (uniform between half and one and a half times it)
before the next. They are asyncio tasks over aiohttp, so all of them are really in flight at
once.

After the run every request answered with a tracking code is looked for in its tenant's schema:
`lost` counts those missing (or found under another code), `duplicated` the extra rows of a
submit saved more than once. `errors` counts every answer other than 200 (201 for a new
request), every time-out or refused connection, and every look-up that did not find its code.

Prints one JSON line on stdout (clients, tenants, requests: the requests answered with a
tracking code, errors, lost, duplicated, and the 95th percentiles of pages, submits and look-ups
in ms); on stderr, the HTTP requests made, their rate, the medians and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from _citizen import NATIONAL_CODE, SERVICE, applicant_fields, demo_tenants_make, free_port, gunicorn_start, multipart, two_files
from _db import ROOT, drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_load"
QUEUE = "mizban-bench-load"  # the receipts' SMS: a queue no worker reads, purged afterwards
PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds
TIMEOUT_S = 60
NONCE = "بار-آزمون"  # in each request's text, with the submit's own id, to find it afterwards


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds a citizen reads an answer (0: none)")
    # gunicorn.conf.py's own defaults: the server production runs, one worker a core of this machine.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--database", default=DATABASE, help="the throw-away database's name (dropped first and after)")
    args = parser.parse_args()

    os.environ.update(CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    media = tempfile.mkdtemp(prefix="mizban-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    use_fresh_database(args.database)
    server, log = None, tempfile.NamedTemporaryFile("w+", prefix="mizban-bench-load-", suffix=".log")
    try:
        started = time.monotonic()
        tenants = demo_tenants_make(args.tenants, prefix="load")
        hosts = [tenant.subdomain for tenant in tenants]
        cards = published_cards(tenants[0])
        print(f"load: {len(hosts)} tenants ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
        port = free_port()
        server = server_start(port, args, log)
        load_before = os.getloadavg()
        run = asyncio.run(drive(port, hosts, cards, args))
        load_after = os.getloadavg()
        lost, duplicated = audit(tenants, run.answered)
        figures = run.figures(args, lost, duplicated)
        print(json.dumps(figures))
        print(json.dumps({**run.extra(args), "load_average_before": [round(x, 1) for x in load_before],
                          "load_average_after": [round(x, 1) for x in load_after]}), file=sys.stderr)
        if run.errors:
            log.seek(0)
            print("load: the server's last lines:\n" + "".join(log.readlines()[-30:]), file=sys.stderr)
    finally:
        if server:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        queues_purge(QUEUE)
        drop_database(args.database)
        shutil.rmtree(media, ignore_errors=True)


def published_cards(tenant) -> list[str]:
    from django_tenants.utils import schema_context

    from catalog.models import Service

    with schema_context(tenant.schema_name):
        return list(Service.objects.filter(status="published").values_list("national_id", flat=True))


def server_start(port: int, args, log):
    """gunicorn as production runs it, on a throw-away static root."""
    env = dict(
        DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="mizban.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=redis_url(), PLATFORM_PORT="0",
        # The look-ups all come from 127.0.0.1: one address for 200 citizens.
        INTAKE_TRACK_LIMIT_PER_IP=str(10**9),
        # Files on this machine's disk: the bench measures pages, not an object store.
        MEDIA_STORAGE="filesystem",
        # No worker reads the bench's queue, so no SMS leaves; a gateway is configured as production needs one.
        SMS_GATEWAY="kavenegar", KAVENEGAR_API_KEY="bench", KAVENEGAR_API_BASE=f"http://127.0.0.1:{free_port()}",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env={**os.environ, **env}, check=True)
    return gunicorn_start(port, env, [
        "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
        "--backlog", "2048", "--timeout", str(TIMEOUT_S), "--keep-alive", "5", "--graceful-timeout", "5",
        "--log-level", "warning", "--preload",
    ], log=log, health_headers=PROXY)


def redis_url() -> str:
    """The configured Redis, or the embedded one (production refuses to start without one)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    from django.conf import settings

    return settings.REDIS_URL


# --- The citizens -----------------------------------------------------------------------------


@dataclass
class Run:
    pages: list = field(default_factory=list)
    submits: list = field(default_factory=list)
    lookups: list = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    answered: list = field(default_factory=list)  # (host, nonce, tracking code)
    first_errors: list = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.first_errors) < 5:
            self.first_errors.append(what)

    def figures(self, args, lost: int, duplicated: int) -> dict:
        return {
            "clients": args.clients, "tenants": args.tenants, "requests": len(self.answered), "errors": self.errors,
            "lost": lost, "duplicated": duplicated,
            "page_p95_ms": p95_ms(self.pages), "submit_p95_ms": p95_ms(self.submits), "lookup_p95_ms": p95_ms(self.lookups),
        }

    def extra(self, args) -> dict:
        made = len(self.pages) + len(self.submits) + len(self.lookups)
        return {
            "http_requests": made, "http_per_s": round(made / self.seconds, 1), "think_s": args.think,
            "workers": args.workers, "threads": args.threads,
            "page_p50_ms": p50_ms(self.pages), "submit_p50_ms": p50_ms(self.submits), "lookup_p50_ms": p50_ms(self.lookups),
            "first_errors": self.first_errors,
        }


def p95_ms(samples: list[float]) -> float | None:
    if len(samples) < 2:
        return round(samples[0] * 1000, 1) if samples else None
    return round(statistics.quantiles(samples, n=100)[94] * 1000, 1)


def p50_ms(samples: list[float]) -> float | None:
    return round(statistics.median(samples) * 1000, 1) if samples else None


async def drive(port: int, hosts: list[str], cards: list[str], args) -> Run:
    import aiohttp

    run = Run()
    files = two_files()
    base = f"http://127.0.0.1:{port}"
    # Idle connections are dropped by the client before gunicorn's 5 s keep-alive drops them, so
    # a request is never sent on a connection the server is closing.
    connector = aiohttp.TCPConnector(limit=0, force_close=False, keepalive_timeout=3)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    # No cookie jar: nothing of this path needs a session, and each citizen is anonymous.
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as session:
        await warm_up(session, hosts, cards, args.workers * args.threads)
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(*(
            citizen(session, hosts[index % len(hosts)], cards, files, deadline, args.think, random.Random(index), run)
            for index in range(args.clients)
        ))
        run.seconds = time.monotonic() - started
    return run


async def warm_up(session, hosts: list[str], cards: list[str], in_flight: int) -> None:
    """Every tenant's pages once before the clock starts (not counted): each worker process's
    first answer for a tenant fills its host and template caches, as a server that has been up
    a while has them."""
    limit = asyncio.Semaphore(in_flight)

    async def get(host, path):
        async with limit, session.get(path, headers={"Host": host, **PROXY}) as response:
            await response.read()

    for _ in range(2):
        await asyncio.gather(*(get(host, path) for host in hosts for path in ("/", "/services/", f"/services/{cards[0]}/")))


async def citizen(session, host: str, cards: list[str], files, deadline: float, think: float, rng: random.Random, run: Run) -> None:
    headers = {"Host": host, **PROXY}

    async def pause():
        if think:
            await asyncio.sleep(rng.uniform(think / 2, think * 3 / 2))

    await asyncio.sleep(rng.uniform(0, think or 0.1))  # citizens do not all arrive in the same millisecond
    while time.monotonic() < deadline:
        for path in ("/", "/services/", f"/services/{rng.choice(cards)}/"):
            await timed(run, run.pages, 200, session.get(path, headers=headers), f"GET {path}")
            await pause()
            if time.monotonic() >= deadline:
                return
        nonce = uuid.uuid4()
        body, content_type = multipart(applicant_fields(f"درخواست صدور پروانه، {NONCE} {nonce}"), files)
        answer = await timed(run, run.submits, 201, session.post(
            "/api/requests/", data=body, headers={**headers, "Content-Type": content_type, "Idempotency-Key": str(nonce)}), "POST /api/requests/")
        code = answer and answer.get("tracking_code")
        if not code:
            if answer is not None:
                run.error("a submit answered 201 without a tracking code")
            await pause()
            continue
        run.answered.append((host, str(nonce), code))
        await pause()
        found = await timed(run, run.lookups, 200, session.post(
            "/api/requests/track/", json={"code": code, "identity": NATIONAL_CODE}, headers=headers), "POST /api/requests/track/")
        if found is not None and found.get("tracking_code", code) != code:
            run.error("a look-up answered another request")
        await pause()


async def timed(run: Run, samples: list, expected: int, request, what: str):
    """Sends `request`, reads the whole answer, records its time; the JSON answer (or {} for a
    page) when the status is `expected`, else None and an error."""
    import aiohttp

    started = time.perf_counter()
    try:
        async with request as response:
            body = await response.read()
            status = response.status
    except (OSError, asyncio.TimeoutError, aiohttp.ClientError) as error:  # a disconnect is an error, not a crash
        samples.append(time.perf_counter() - started)
        run.error(f"{what}: {type(error).__name__}")
        return None
    samples.append(time.perf_counter() - started)
    if status != expected:
        run.error(f"{what}: {status} {body[:200]!r}")
        return None
    return json.loads(body) if body.startswith(b"{") else {}


# --- Afterwards: every answered request once in its tenant ------------------------------------


def audit(tenants, answered: list[tuple[str, str, str]]) -> tuple[int, int]:
    """(lost, duplicated): answered requests missing from their tenant's schema or saved under
    another code, and the rows beyond the first of a submit saved more than once."""
    from django_tenants.utils import schema_context

    from intake.models import ServiceRequest

    by_host = {tenant.subdomain: tenant for tenant in tenants}
    saved: dict[tuple[str, str], list[str]] = {}
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            for text, code in ServiceRequest.objects.filter(text__contains=NONCE).values_list("text", "tracking_code"):
                saved.setdefault((tenant.subdomain, text.rsplit(" ", 1)[-1]), []).append(code)
    lost = sum(1 for host, nonce, code in answered if code not in saved.get((host, nonce), []) or host not in by_host)
    duplicated = sum(len(codes) - 1 for codes in saved.values())
    duplicated += sum(count - 1 for count in Counter(code for _, _, code in answered).values())
    return lost, duplicated


if __name__ == "__main__":
    main()
