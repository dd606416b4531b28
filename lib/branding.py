"""What a tenant's brand looks like to the surfaces drawn below portal_themes (PDFs in lib,
e-mails in notifications): a hook that portal_themes fills at start-up, so neither imports it.

`current()` is the published brand of the schema in use, or None on the platform host (and
before portal_themes has registered). While a tenant admin previews a draft, the request's
middleware marks it (`previewing`), and the PDFs drawn for that admin show the draft too.
"""

from __future__ import annotations

import base64
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Brand:
    display_name: str
    primary_color: str
    accent_color: str
    logo_bytes: Callable[[], bytes | None]  # the logo's PNG, for an e-mail's inline image and PDFs
    address: str = ""
    phone: str = ""
    hours: str = ""

    def logo_data_uri(self) -> str:
        """The logo for WeasyPrint, inside the page: the file may be in object storage, with no
        path on this disk (and WeasyPrint is never given a URL to fetch)."""
        data = self.logo_bytes()
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii") if data else ""


_provider: Callable[[bool], Brand | None] | None = None
previewing: ContextVar[bool] = ContextVar("branding_previewing", default=False)


def register(provider: Callable[[bool], Brand | None]) -> None:
    global _provider
    _provider = provider


def current(*, published_only: bool = False) -> Brand | None:
    """The brand to draw with; `published_only` for what leaves the building (e-mails)."""
    if _provider is None:
        return None
    return _provider(previewing.get() and not published_only)
