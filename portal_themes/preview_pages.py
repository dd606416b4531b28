"""The real pages the branding editor offers to preview the draft on. The home page is
portal_themes' own; apps above it add theirs at start-up (catalog a service page, intake a
receipt), so portal_themes imports none of them."""

from __future__ import annotations

from typing import Callable

from django.urls import reverse

_PAGES: list[tuple[str, Callable[[], str | None]]] = []


def preview_page_register(label: str, url: Callable[[], str | None]) -> None:
    """`url()` runs in the tenant's schema and returns a path, or None when there is none yet."""
    if all(existing != label for existing, _ in _PAGES):
        _PAGES.append((label, url))


def preview_pages() -> list[dict]:
    pages = [{"label": "صفحه نخست درگاه", "url": reverse("portal_home")}]
    for label, url in _PAGES:
        pages.append({"label": label, "url": url()})
    return pages
