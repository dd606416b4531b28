"""The lock files that `make run` and `make test` install pin every package that
requirements*.txt names, at a version those lines allow; a requirement added without
`make lock` fails here instead of on a user's first `make run`."""

from __future__ import annotations

import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.workers import ROOT


def _requirements(name: str) -> list[Requirement]:
    found = []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += _requirements(line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line):
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize("requirements, lock", [
    ("requirements.txt", "requirements.lock"),
    ("requirements-dev.txt", "requirements-dev.lock"),
])
def test_the_lock_pins_every_requirement_at_an_allowed_version(requirements, lock):
    pins = _pins(lock)
    wrong = [
        f"{requirement} (lock: {pins.get(canonicalize_name(requirement.name), 'missing')})"
        for requirement in _requirements(requirements)
        if canonicalize_name(requirement.name) not in pins
        or not requirement.specifier.contains(pins[canonicalize_name(requirement.name)], prereleases=True)
    ]
    assert wrong == [], f"run `make lock` after changing {requirements}"


def test_the_runtime_lock_has_what_kombus_redis_transport_imports():
    assert "packaging" in _pins("requirements.lock")


def test_the_dev_lock_agrees_with_the_runtime_lock():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version} == {}
