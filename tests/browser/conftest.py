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

from tests.csp import CSP, describe_violations
from tests.english import FINDER, describe

ENGLISH = "en-US"


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
        pytest.fail(describe_violations(violations), pytrace=False)
    return result
