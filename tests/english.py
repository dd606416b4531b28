"""The English-free check: no page the browser tests walk shows a Latin-letter word.

Every page of a context made by the browser tests reports its visible text (and title,
aria-labels, placeholders, titles, alt texts, button values) when it loads and after each
htmx swap; `tests/browser/conftest.py` fails the test on any word found outside ALLOWED.
Not words: e-mail addresses, URLs and dotted names (hosts, file names), tokens with a digit
(tracking codes, hashes, IBANs), single letters, and anything inside an element marked
`translate="no"` (a TOTP secret, recovery codes: text that is not language at all).
"""

from __future__ import annotations

import re

# Terms a Persian page may show as they are (keep this list short; say why for each).
ALLOWED = {
    "pdf", "jpg", "jpeg", "png",  # file formats, as Persian users say them
    "sms",     # «پیامک» is used in sentences; SMS appears beside gateway names
    "ir",      # the IBAN prefix (شبا)
    "stripe",  # the payment provider's name
    "xlsx", "csv",  # file formats of the exports
    "qr",      # «کد QR» on letters and the authenticator page
    "dns",     # the vendor console: a custom domain is verified by its DNS record
    "bpmn",    # the card editor's process files: the standard's name (BPMN 2.0), as staff say it
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?")
_TOKEN = re.compile(r"[A-Za-z0-9_'-]*[A-Za-z][A-Za-z0-9_'-]*")

# Runs in every document: collects what a user sees or hears, hands it to the binding.
COLLECTOR_JS = r"""
(() => {
  if (window.__mizbanLatinInstalled) return;
  window.__mizbanLatinInstalled = true;
  const SKIP = '[translate="no"], script, style, noscript, template';
  const shown = (el) => !el.closest(SKIP) && (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  window.__mizbanCollect = () => {
    if (document.contentType !== 'text/html' || !document.body) return [];
    const out = [['title', document.title]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (el && node.nodeValue.trim() && shown(el)) out.push(['text', node.nodeValue]);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt], input[type=submit], input[type=button], input[type=reset]')) {
      if (!shown(el)) continue;
      for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
        if (el.hasAttribute(attr)) out.push([attr, el.getAttribute(attr)]);
      }
      if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) out.push(['value', el.value]);
    }
    return out;
  };
  const report = () => { try { window.__mizbanReportLatin(location.href, window.__mizbanCollect()); } catch (e) {} };
  window.addEventListener('load', report);
  document.addEventListener('htmx:afterSettle', report);
})();
"""


def latin_words(text: str) -> list[str]:
    """The Latin-letter words of `text` that are not allowed."""
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    words = []
    for token in _TOKEN.findall(text):
        token = token.strip("'-_")
        if any(ch.isdigit() for ch in token) or sum(ch.isalpha() for ch in token) < 2:
            continue
        if token.lower() not in ALLOWED:
            words.append(token)
    return words


class EnglishFinder:
    """What every watched page reported: (url, where, word), in the order found."""

    def __init__(self):
        self.found: list[tuple[str, str, str]] = []
        self.contexts: list = []

    def watch(self, context) -> None:
        context.expose_binding("__mizbanReportLatin", lambda source, url, items: self.record(url, items))
        context.add_init_script(COLLECTOR_JS)
        self.contexts.append(context)
        context.on("close", lambda _: self.contexts.remove(context) if context in self.contexts else None)

    def record(self, url: str, items) -> None:
        for where, text in items or []:
            for word in latin_words(text or ""):
                if (url, where, word) not in self.found:
                    self.found.append((url, where, word))

    def check_page(self, page) -> None:
        """Collect `page` as it is now (the last page a test saw has no later load to report it)."""
        if page.is_closed():
            return
        try:
            self.record(page.url, page.evaluate("window.__mizbanCollect ? window.__mizbanCollect() : []"))
        except Exception:  # a page mid-navigation or a download: the load event reports it
            pass

    def check_all(self) -> None:
        for context in list(self.contexts):
            for page in context.pages:
                self.check_page(page)

    def forget(self, text: str) -> None:
        """Drop the words of `text` found so far: a test put them on the page on purpose (an
        attacker's payload, which must show as text)."""
        words = set(latin_words(text))
        self.found = [item for item in self.found if item[2] not in words]

    def take(self) -> list[tuple[str, str, str]]:
        found, self.found = self.found, []
        return found


def describe(found) -> str:
    pages: dict[str, list[str]] = {}
    for url, where, word in found:
        pages.setdefault(url, []).append(word if where == "text" else f"{word} ({where})")
    lines = [f"  {url}: {' '.join(words)}" for url, words in pages.items()]
    return "English on pages the browser walked:\n" + "\n".join(lines)


FINDER = EnglishFinder()  # one per test process; conftest clears it around every test


def assert_no_english(page) -> None:
    """Fail now if `page` as it is shows English (for a state reached without a page load)."""
    FINDER.check_page(page)
    found = [item for item in FINDER.found if item[0] == page.url]
    assert not found, describe(found)
