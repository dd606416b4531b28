"""Script payloads for every field that reaches a page, and a parse of the page that finds
any element or attribute they would have made live (the standard library's HTML parser)."""

from __future__ import annotations

from html.parser import HTMLParser

# Each calls xss(): an attribute that breaks out of its quotes, an element that breaks out of
# its attribute, one that leaves the SVG, and one that tries the other quote.
PAYLOADS = [
    'x" onload="xss()" data-x="',
    '"><script>xss()</script>',
    "</svg><img src=x onerror=xss()>",
    "x' onmouseover='xss()' data-x='",
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.texts.append(data)


def parsed(html: str) -> _Elements:
    """The page's start tags with their attributes and its texts, unescaped as a browser reads them."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def live_payload_markup(html: str) -> list[str]:
    """What the payloads made live: event-handler attributes, their data-x, the <img src=x>,
    a <script> holding xss(). Empty when every payload stayed text."""
    page, found = parsed(html), []
    for tag, attrs in page.elements:
        found += [f"<{tag} {name}>" for name in attrs if name.startswith("on") or name == "data-x"]
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
    # A <script>'s body comes over as a text of its own: the live payload's is exactly xss().
    found += ["<script>xss()"] if "xss()" in page.texts else []
    return found
