"""Rules that apps above accounts add to its use cases without accounts importing them (the
way `billing/usage.py` lets intake count requests): billing registers the plan's seat limit
from its AppConfig.ready, so the dependency points from billing to accounts, never back."""

from __future__ import annotations

from typing import Callable

# Each raises ValidationError when the current schema may not have one more active staff account.
_staff_seat_checks: list[Callable[[], None]] = []


def staff_seat_check_register(check: Callable[[], None]) -> None:
    if check not in _staff_seat_checks:
        _staff_seat_checks.append(check)


def staff_seat_checks_run() -> None:
    for check in _staff_seat_checks:
        check()
