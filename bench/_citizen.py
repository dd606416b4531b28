"""What the HTTP benchmarks send as a citizen (the two documents of the demo building-permit
card, a multipart body, the applicant's fields), their demo tenants, and a gunicorn to send it to."""

from __future__ import annotations

import http.client
import io
import os
import random
import socket
import subprocess
import sys
import time
import uuid

from _db import ROOT

SERVICE = "10901010100"  # the demo municipalities' building permit: a plan and a photo
NATIONAL_CODE, MOBILE = "0084575948", "09121234567"
FILE_BYTES = 50 * 1024


def applicant_fields(text: str = "درخواست صدور پروانه برای پلاک ۱۲") -> dict:
    return {"service": SERVICE, "text": text, "national_code": NATIONAL_CODE, "first_name": "مریم", "last_name": "احمدی",
            "mobile": MOBILE, "address": "تهران، خیابان آزادی"}


def pdf_file() -> bytes:
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n", b"\n%%EOF\n"
    return head + b"%" + b"0" * (FILE_BYTES - len(head) - len(tail) - 1) + tail


def png_file() -> bytes:
    from PIL import Image

    side = int((FILE_BYTES / 3) ** 0.5)  # random pixels do not compress: about 50 KB
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(5).randbytes(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def two_files() -> list[tuple[str, str, str, bytes]]:
    return [("files", "plan.pdf", "application/pdf", pdf_file()), ("files", "photo.png", "image/png", png_file())]


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


# --- The throw-away platform ------------------------------------------------------------------


def demo_tenants_make(count: int, prefix: str = "bench") -> list:
    """Shared schema, the demo registry and `count` onboarded municipalities with the demo
    catalogue, on the plan without a monthly ceiling (the trial allows 500 requests)."""
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from billing.models import BillingAccount, Plan
    from catalog.demo import catalog_demo_build, registry_demo_load
    from tenants.services import tenant_draft_clean, tenant_onboard

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    registry_demo_load()
    tenants = []
    for index in range(count):
        slug = prefix if count == 1 else f"{prefix}{index}"
        tenant = tenant_onboard(draft=tenant_draft_clean(
            slug=slug, name=f"شهرداری آزمون {index + 1}", kind="municipality", province="tehran",
            admin_email=f"admin@{slug}.test"), actor="bench")
        with schema_context(tenant.schema_name):
            catalog_demo_build(kind="municipality")
        tenants.append(tenant)
    BillingAccount.objects.filter(tenant__in=tenants).update(plan=Plan.objects.get(code="plus"))
    return tenants


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(host: str, port: int, method: str, path: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def gunicorn_start(port: int, env: dict, args: list[str], log=None, health_headers: dict | None = None) -> subprocess.Popen:
    """gunicorn serving mizban.wsgi on 127.0.0.1:`port` with `env` over this process's
    environment, once /healthz answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", *args],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn ended with {server.returncode}")
        try:
            status, _ = call("127.0.0.1", port, "GET", "/healthz", {"Host": "localhost", **(health_headers or {})}, None)
            if status in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")
