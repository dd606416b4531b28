"""The CSP check itself: a page that breaks its policy fails the test that walked it."""

import pytest

from tests.csp import CSP

pytestmark = pytest.mark.browser

POLICY = "default-src 'self'; script-src 'self'; form-action 'self'"


def test_an_inline_script_and_handler_under_the_policy_are_reported(browser):
    context = browser.new_context()
    context.route("http://pages.test/**", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", headers={"Content-Security-Policy": POLICY},
        body="<title>صفحه</title><script>document.title = 'x'</script><button onclick=\"alert(1)\">دکمه</button>"))
    page = context.new_page()
    page.goto("http://pages.test/one")
    page.click("button")
    page.wait_for_timeout(200)
    found = CSP.take()
    context.close()
    assert any("script-src" in what for _, what in found), found
    assert {url for url, _ in found} >= {"http://pages.test/one"}
