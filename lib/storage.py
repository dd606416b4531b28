"""Media in S3-compatible object storage, each tenant under its own prefix.

django-tenants 4.0.1 ships only `TenantFileSystemStorage`; this is its object-storage twin:
django-storages' `S3Storage` whose `location` is read per call from the connection's schema,
so a file saved while serving `t_alpha` lands under `<MEDIA_S3_PREFIX>/t_alpha/…` and a name
read while serving `t_beta` can only ever resolve under `t_beta/`. Objects are written
`private` and nothing of ours hands out their URLs: the product streams them through its own
views, which check who is asking (README, "Media in object storage").
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from storages.backends.s3 import S3Storage


class TenantS3Storage(S3Storage):
    default_acl = "private"
    querystring_auth = True  # `url()` only ever gives a signed, short-lived URL
    file_overwrite = False

    @property
    def location(self) -> str:
        base = getattr(settings, "MEDIA_S3_PREFIX", "").strip("/")
        schema = connection.schema_name
        return f"{base}/{schema}" if base else schema
