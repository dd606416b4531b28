"""/catalogue.jsonld and /catalogue.ttl: a tenant's catalogue on its host, the national
registry's mirror on the platform domain. Services left out are reported in the
`Mizban-Excluded-Services` header (`id=reason,reason; …`) and in the log."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max
from django.http import HttpResponse

from lib.hosts import host_url
from linked_data.cpsv import Catalogue, registry_catalogue, tenant_catalogue
from registry.models import NationalService

logger = logging.getLogger(__name__)
TYPES = {"jsonld": "application/ld+json; charset=utf-8", "ttl": "text/turtle; charset=utf-8"}
REGISTRY_CACHE_SECONDS = 3600


def _answer(catalogue: Catalogue, fmt: str, body: str | None = None) -> HttpResponse:
    response = HttpResponse(body if body is not None else _body(catalogue, fmt), content_type=TYPES[fmt])
    response["Mizban-Exported-Services"] = str(catalogue.exported)
    response["Mizban-Excluded-Services"] = "; ".join(f"{e.national_id}={','.join(e.reasons)}" for e in catalogue.excluded)
    for excluded in catalogue.excluded:
        logger.warning("CPSV-AP export left out %s (%s): %s", excluded.national_id, connection.schema_name, ", ".join(excluded.reasons))
    return response


def _body(catalogue: Catalogue, fmt: str) -> str:
    return catalogue.jsonld() if fmt == "jsonld" else catalogue.turtle()


def tenant_catalogue_view(request, fmt: str):
    return _answer(tenant_catalogue(connection.tenant), fmt)


def registry_catalogue_view(request, fmt: str):
    """The mirror changes only when a sync runs: the export is kept until it does."""
    state = NationalService.objects.aggregate(n=Count("service_id"), changed=Max("changed_at"))
    key = f"cpsv:registry:{fmt}:{state['n']}:{state['changed'].timestamp() if state['changed'] else 0}"
    cache = caches["platform"]
    kept = cache.get(key)
    if kept is None:
        catalogue = registry_catalogue(host_url(settings.PLATFORM_DOMAIN))
        kept = {"body": _body(catalogue, fmt), "exported": catalogue.exported, "excluded": catalogue.excluded}
        cache.set(key, kept, REGISTRY_CACHE_SECONDS)
    catalogue = Catalogue(graph=None, exported=kept["exported"], excluded=kept["excluded"])
    return _answer(catalogue, fmt, kept["body"])
