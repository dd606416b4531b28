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
import http.client
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from _db import ROOT, drop_database, queues_purge, use_fresh_database

DATABASE = "mizban_bench_intake"
QUEUE = "mizban-bench-intake"  # a queue no worker reads (the receipts' SMS); purged afterwards
SLUG = "bench"
SERVICE = "10901010100"
NATIONAL_CODE, MOBILE = "0084575948", "09121234567"
FILE_BYTES = 50 * 1024
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
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from billing.models import BillingAccount, Plan
    from catalog.demo import catalog_demo_build, registry_demo_load
    from tenants.services import tenant_draft_clean, tenant_onboard

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    tenant = tenant_onboard(draft=tenant_draft_clean(
        slug=SLUG, name="شهرداری آزمون سرعت", kind="municipality", province="tehran", admin_email="admin@bench.test"), actor="bench")
    registry_demo_load()
    with schema_context(tenant.schema_name):
        catalog_demo_build(kind="municipality")
    # The plan without a monthly ceiling, so that any --submits fits (the trial plan allows 500).
    BillingAccount.objects.filter(tenant=tenant).update(plan=Plan.objects.get(code="plus"))
    return tenant.subdomain


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development", DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="mizban.settings", PLATFORM_PORT=str(port),
        INTAKE_TRACK_LIMIT_PER_IP=str(10**9), DATABASE_CONN_MAX_AGE="60", LOG_LEVEL="ERROR",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--backlog", "512", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = call("127.0.0.1", port, "GET", "/healthz", {"Host": "localhost"}, None)
            if status in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


# --- The load ---------------------------------------------------------------------------------


def call(host: str, port: int, method: str, path: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def pdf_file() -> bytes:
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n", b"\n%%EOF\n"
    return head + b"%" + b"0" * (FILE_BYTES - len(head) - len(tail) - 1) + tail


def png_file() -> bytes:
    from PIL import Image

    side = int((FILE_BYTES / 3) ** 0.5)  # random pixels do not compress: about 50 KB
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(5).randbytes(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(fields: dict, files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, mime, content in files:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f"Content-Type: {mime}\r\n\r\n".encode() + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def drive(host: str, port: int, tenant_host: str, args) -> dict:
    fields = {"service": args.service, "text": "درخواست صدور پروانه برای پلاک ۱۲", "national_code": NATIONAL_CODE,
              "first_name": "مریم", "last_name": "احمدی", "mobile": MOBILE, "address": "تهران، خیابان آزادی"}
    body, content_type = multipart(fields, [("files", "plan.pdf", "application/pdf", pdf_file()), ("files", "photo.png", "image/png", png_file())])
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
