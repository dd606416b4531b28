"""django-csp's middleware, with the policy built once per process for answers that change
nothing of it.

django-csp builds both headers from the settings on every answer (a tenth of a kept portal
page's time). An answer whose view used no nonce and set no policy of its own (all of ours:
no template holds an inline script) gets the same two strings every time, so they are built
once and kept until a CONTENT_SECURITY_POLICY setting changes (the tests' override_settings).
Any other answer is built by django-csp as before.
"""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What a view's csp_update / csp_replace / csp_override / csp_exempt decorators leave on an answer.
_PER_ANSWER = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
# (header, the answer's exemption attribute, the setting it is built from)
_HEADERS = ((HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"))
_built: dict[str, tuple[str, tuple[str, ...]]] = {}  # header: (policy, excluded URL prefixes)


def _settings_changed(*, setting: str, **_kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _built.clear()


setting_changed.connect(_settings_changed, dispatch_uid="mizban.content_security_policy")


def _policy(header: str, setting: str) -> tuple[str, tuple[str, ...]]:
    kept = _built.get(header)
    if kept is None:
        policy = build_policy(report_only=header == HEADER_REPORT_ONLY)
        prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        kept = _built[header] = (policy, prefixes)
    return kept


class KeptPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(getattr(response, name, None) for name in _PER_ANSWER):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:  # Django's debug pages, as django-csp leaves them
            return response
        for header, exempt, setting in _HEADERS:
            policy, excluded = _policy(header, setting)
            if (policy and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(excluded)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written would be in no policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
