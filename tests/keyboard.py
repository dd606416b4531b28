"""A page driven by the keyboard alone, for the browser tests' keyboard journeys
(tests/browser/test_keyboard*.py): Tab or Shift+Tab to an element, then a key; every element
focus lands on is checked for a visible focus ring."""

from __future__ import annotations

# What has focus, and whether it shows it: an outline of 2 px or more, not hidden.
FOCUSED_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {html: el.outerHTML.slice(0, 100),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          shown: box.width > 0 && box.height > 0};
}
"""


class Keyboard:
    """A page driven by keys only; every focus stop it passes is checked for a visible ring
    (`foreign=True` for a page that is not ours, such as a bank's: it is driven, not judged)."""

    def __init__(self, page):
        self.page = page
        self.unseen: list[str] = []
        # Playwright starts catching file dialogs when a page gets its first "filechooser" listener,
        # without waiting for the browser to agree (fire and forget). `expect_file_chooser` adds
        # one right before the key that opens the dialog, and the key could win the race: the dialog
        # then opened uncaught and the test waited 30 s. A listener from the start keeps the
        # catching on long before any key (the test's own expect_file_chooser still gets the dialog).
        page.on("filechooser", _caught_for_the_test)

    def tab_to(self, target, *, back=False, limit=160, foreign=False):
        """Tab (or Shift+Tab) until `target` has focus."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            focused = self.page.evaluate(FOCUSED_JS)
            if not foreign and focused and not (focused["ring"] and focused["shown"]):
                self.unseen.append(f"{self.page.url}: {focused['html']}")
            if target.evaluate("el => el === document.activeElement"):
                return self
        raise AssertionError(f"{'Shift+Tab' if back else 'Tab'} never reached {target} on {self.page.url}")

    def press(self, target, key="Enter", **kwargs):
        self.tab_to(target, **kwargs)
        self.page.keyboard.press(key)
        return self

    def type(self, target, text, **kwargs):
        self.tab_to(target, **kwargs)
        self.page.keyboard.type(text)
        return self

    def go(self, target, key="Enter", **kwargs):
        """Enter on a link or a form's button that loads another page: returns once it has loaded."""
        self.tab_to(target, **kwargs)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        return self

    def assert_all_seen(self):
        assert not self.unseen, "focus not visible on:\n" + "\n".join(self.unseen)


def _caught_for_the_test(_chooser) -> None:
    """Nothing to do here: each test takes its dialog with `page.expect_file_chooser()`."""
