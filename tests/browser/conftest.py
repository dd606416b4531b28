"""Browser tests speak English to the server, and no page they walk may answer in English.

Many phones in Iran are set to English, so every context made here (through `browser` or
`phone_page`) sends `Accept-Language: en-US` and has the en-US locale, whatever a test asks
for. Every page of those contexts is read by the English-free check (`tests/english.py`);
a test fails when any page it walked shows a Latin-letter word outside the allowed list.
Every page is also watched for the Content-Security-Policy: a test fails when the browser
reports a violation (a `securitypolicyviolation` event or its console message) on any of them.
"""

from __future__ import annotations

import pytest

from tests.english import FINDER, describe

ENGLISH = "en-US"


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


class EnglishSpeakingBrowser:
    """The session's Chromium, whose new contexts speak English and are watched by the check."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        kwargs["locale"] = ENGLISH
        kwargs["extra_http_headers"] = {**(kwargs.get("extra_http_headers") or {}), "Accept-Language": "en-US,en;q=0.9"}
        context = self._browser.new_context(**kwargs)
        FINDER.watch(context)
        CSP.watch(context)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()


@pytest.fixture(scope="session")
def browser(browser):
    return EnglishSpeakingBrowser(browser)


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone screen, on a phone set to English."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    FINDER.take()
    CSP.take()
    result = yield  # a test that failed on its own stops here, with its own failure
    FINDER.check_all()
    found = FINDER.take()
    if found:
        pytest.fail(describe(found), pytrace=False)
    violations = CSP.take()
    if violations:
        lines = "\n".join(f"  {url}: {what}" for url, what in violations)
        pytest.fail(f"Content-Security-Policy violations on pages the browser walked:\n{lines}", pytrace=False)
    return result
