"""The English-free check itself: what it counts as an English word, and that it reads every
page of a context, not only the last one."""

import pytest

from tests.english import FINDER, latin_words

pytestmark = pytest.mark.browser


def test_words_codes_and_names():
    assert latin_words("Successfully signed in as علی.") == ["Successfully", "signed", "in", "as"]
    assert latin_words("changed: service_level 1.6 KB") == ["changed", "service_level", "KB"]
    # Not words: allowed terms, e-mail addresses, URLs and hosts, file names, codes with digits.
    assert latin_words(
        "پرونده PDF و XLSX، پیامک SMS، شبا IR820540102680020817909002، admin@alpha.test، "
        "http://alpha.localhost:8000/track/ و isfahan.localhost، scan.png، کد 3f9a7c0e، x"
    ) == []


def test_every_page_is_read_with_its_title_labels_and_button_values(browser):
    pages = {
        "/one": "<title>Dashboard</title><p>سلام Welcome</p><p hidden>Hidden</p>"
                "<input placeholder='Search'><button aria-label='Close'>×</button><input type='submit' value='Send'>"
                "<span translate='no'>Google Authenticator</span><p>admin@alpha.test PDF</p>",
        "/two": "<title>صفحه دوم</title><p>سلام</p>",
    }
    context = browser.new_context()
    context.route("http://pages.test/**", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", body=pages[route.request.url.removeprefix("http://pages.test")]))
    page = context.new_page()
    page.goto("http://pages.test/one")
    assert page.evaluate("navigator.language") == "en-US"
    page.goto("http://pages.test/two")  # the first page is gone, but was read when it loaded
    FINDER.check_all()
    found = FINDER.take()
    assert {word for _, _, word in found} == {"Dashboard", "Welcome", "Search", "Close", "Send"}
    assert {url for url, _, _ in found} == {"http://pages.test/one"}
    context.close()
