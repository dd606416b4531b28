"""Every answer carries the Content-Security-Policy and the Permissions-Policy (README, Security):
portal, staff area, vendor console and API, on tenant and public hosts, refusals included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.clients import host_client

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_policies(response) -> None:
    directives = _directives(response["Content-Security-Policy"])
    for name, sources in POLICY.items():
        assert directives[name] == sources, name
    assert directives["form-action"].split()[:3] == ["'self'", "https://checkout.stripe.com", "https://billing.stripe.com"]
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("path", ["/", "/services/", "/track/", "/accounts/login/", "/api/catalog/services/", "/api/schema/", "/healthz", "/no-such-page/"])
def test_tenant_host_answers_carry_the_policies(client_a, path):
    assert_policies(client_a.get(path))


def test_staff_area_carries_the_policies(admin_a):
    for path in ("/staff/", "/staff/requests/", "/staff/catalog/"):
        assert_policies(admin_a.get(path))


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/schema/", "/healthz", "/no-such-page/"])
def test_public_host_answers_carry_the_policies(public_client, path):
    assert_policies(public_client.get(path))


def test_vendor_console_carries_the_policies(vendor_client):
    for path in ("/console/", "/insights/"):
        assert_policies(vendor_client.get(path))


def test_an_unknown_host_and_an_api_refusal_carry_the_policies(db, client_a):
    assert_policies(host_client("nowhere.localhost").get("/"))
    assert_policies(client_a.post("/api/requests/", {}, content_type="application/json"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_no_template_holds_an_inline_script_or_handler():
    """The policy allows scripts only from our files: an inline one would be blocked in the browser."""
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    assert templates
    offenders = [
        str(p.relative_to(ROOT)) for p in templates
        if any(pattern.search(p.read_text()) for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL))
    ]
    assert offenders == []


def test_the_policy_kept_per_process_is_django_csps_own_and_follows_its_settings(client_a, settings):
    """mizban/content_security_policy.py builds the header once: it must be what django-csp
    builds, and a changed setting must show on the next answer."""
    from csp.utils import build_policy

    assert client_a.get("/").headers["Content-Security-Policy"] == build_policy()
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "data:", "https://tiles.example"]}}
    settings.CONTENT_SECURITY_POLICY = policy
    assert _directives(client_a.get("/").headers["Content-Security-Policy"])["img-src"] == "'self' data: https://tiles.example"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client_a.get("/").headers["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_an_answer_whose_view_changed_the_policy_gets_its_own(rf):
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from mizban.content_security_policy import KeptPolicyCSPMiddleware

    @csp_update({"img-src": ["https://tiles.example"]})
    def view_with_its_own(request):
        return HttpResponse("map")

    changed = KeptPolicyCSPMiddleware(view_with_its_own)(rf.get("/"))
    assert _directives(changed["Content-Security-Policy"])["img-src"] == "'self' data: https://tiles.example"
    plain = KeptPolicyCSPMiddleware(lambda request: HttpResponse("plain"))(rf.get("/"))
    assert _directives(plain["Content-Security-Policy"])["img-src"] == "'self' data:"
