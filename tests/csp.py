"""The CSP check: every page of a context made by the browser tests reports each violation of
its Content-Security-Policy; `tests/browser/conftest.py` fails the test on any."""

from __future__ import annotations

# Runs in every document: hands each CSP violation the page reports to the binding.
CSP_VIOLATIONS_JS = r"""
document.addEventListener('securitypolicyviolation', (e) => {
  try { window.__mizbanReportCsp(location.href, `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber})`); } catch (err) {}
});
"""


class CspViolations:
    """What the watched pages reported against the policy: (url, what), in the order found."""

    def __init__(self):
        self.found: list[tuple[str, str]] = []

    def watch(self, context) -> None:
        context.expose_binding("__mizbanReportCsp", lambda source, url, what: self.found.append((url, what)))
        context.add_init_script(CSP_VIOLATIONS_JS)
        # Chromium also logs violations the event may miss (a blocked navigation or form target).
        context.on("console", lambda message: self.found.append((message.page.url if message.page else "", message.text))
                   if "Content Security Policy" in message.text else None)

    def take(self) -> list[tuple[str, str]]:
        found, self.found = self.found, []
        return found


CSP = CspViolations()


def describe_violations(found) -> str:
    lines = "\n".join(f"  {url}: {what}" for url, what in found)
    return f"Content-Security-Policy violations on pages the browser walked:\n{lines}"
