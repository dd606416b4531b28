"""What a tenant uses against its plan's limits.

Billing does not know how requests are stored: the app that owns a counted thing registers
a counter here (intake will register "requests_per_month" from its AppConfig.ready), so the
dependency points from that app to billing, never back.
"""

from __future__ import annotations

from typing import Callable

from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Tenant

STAFF_SEATS = "staff_seats"
REQUESTS_PER_MONTH = "requests_per_month"
LIMITS = (STAFF_SEATS, REQUESTS_PER_MONTH)

# limit name -> function(tenant) -> how much of it the tenant uses now
_counters: dict[str, Callable[[Tenant], int]] = {}


def usage_counter_register(*, limit: str, counter: Callable[[Tenant], int]) -> None:
    if limit not in LIMITS:
        raise ValueError(f"Unknown limit {limit!r}; one of {LIMITS}.")
    _counters[limit] = counter


def usage_count(*, tenant: Tenant, limit: str) -> int | None:
    """How much of `limit` the tenant uses, or None while no app counts it."""
    counter = _counters.get(limit)
    return None if counter is None else counter(tenant)


def _staff_seats_used(tenant: Tenant) -> int:
    with schema_context(tenant.schema_name):
        return User.objects.filter(is_active=True, role__in=User.STAFF_ROLES).count()


usage_counter_register(limit=STAFF_SEATS, counter=_staff_seats_used)
