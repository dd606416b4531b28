"""The Celery app. Tasks carry the tenant's schema in a header (tenant-schemas-celery),
set when they are queued inside the tenant's context."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")

app = CeleryApp("mizban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each consuming worker says it is alive in Redis; /healthz reads it (lib/worker_heartbeat.py).
from lib.worker_heartbeat import WorkerHeartbeat  # noqa: E402

app.steps["consumer"].add(WorkerHeartbeat)
