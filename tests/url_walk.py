"""Walking a URL conf: every view's route (through every include) and its path parameters,
and a URL built from a route with chosen values, so a test that walks them covers a new route
without being edited (tests/mizban/test_hostile_input.py, test_cross_tenant_matrix.py)."""

from __future__ import annotations

import re
from typing import Callable, NamedTuple
from urllib.parse import quote

from django.urls import URLResolver, get_resolver
from django.urls.converters import get_converters

_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
# A re_path() group has no converter; it is called this in a Parameter.
REGEX = "re"


class Parameter(NamedTuple):
    name: str
    converter: str  # "int", "str", "uuid", … or REGEX for a re_path() group
    regex: str  # what the URL accepts there


def _join(route: str, part: str) -> str:
    """As Django joins the routes of nested patterns into ResolverMatch.route."""
    return part if not route else route + part.removeprefix("^")


def _leaves(patterns, route=""):
    for entry in patterns:
        here = _join(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, here)
        else:
            yield here


def routes(urlconf: str) -> list[str]:
    """Every view's route in `urlconf` (path() and re_path() syntax mixed, as includes nest
    them), as ResolverMatch.route names it, each once."""
    return list(dict.fromkeys(_leaves(get_resolver(urlconf).url_patterns)))


def parameters(route: str) -> list[Parameter]:
    """The path parameters of `route` (re_path() groups first, then path() converters)."""
    found = [Parameter(m.group(1), REGEX, m.group(2)) for m in _GROUP.finditer(route)]
    without_groups = _GROUP.sub("", route)
    converters = get_converters()
    found += [Parameter(m.group(2), m.group(1) or "str", converters[m.group(1) or "str"].regex)
              for m in _CONVERTER.finditer(without_groups)]
    return found


def fill(route: str, value_for: Callable[[Parameter], str]) -> str:
    """The URL of `route` with each parameter replaced by value_for(parameter), percent-encoded."""
    converters = get_converters()
    route = _GROUP.sub(lambda m: quote(value_for(Parameter(m.group(1), REGEX, m.group(2))), safe=""), route)
    route = _CONVERTER.sub(
        lambda m: quote(value_for(Parameter(m.group(2), m.group(1) or "str", converters[m.group(1) or "str"].regex)), safe=""),
        route,
    )
    route = route.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".").replace("\\", "")
    return "/" + route
