"""The Celery app. Tasks carry the tenant's schema in a header (tenant-schemas-celery),
set when they are queued inside the tenant's context."""

import os

from django.conf import settings
from kombu.exceptions import OperationalError
from tenant_schemas_celery.app import CeleryApp

from lib.breaker import breaker_for
from lib.cache import REDIS_DOWN_ERRORS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")


class BrokerDown(ConnectionError):
    """The broker failed to answer a moment ago; not asked again yet."""


class MizbanCelery(CeleryApp):
    """Sending a task fails fast while the broker is down: after one send that the broker did
    not answer, the sends of the next REDIS_RETRY_SECONDS fail at once (lib/breaker.py), and
    every caller's fallback (the outbox, in-process work) takes over without the request
    waiting on connection time-outs again."""

    def send_task(self, *args, **kwargs):
        breaker = breaker_for("the Celery broker", cooldown=settings.REDIS_RETRY_SECONDS)
        if not breaker.available():
            raise BrokerDown("The Celery broker did not answer a moment ago.")
        try:
            result = super().send_task(*args, **kwargs)
        except (OperationalError, *REDIS_DOWN_ERRORS) as error:
            breaker.failure(error)
            raise
        breaker.success()
        return result


app = MizbanCelery("mizban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each consuming worker says it is alive in Redis; /healthz reads it (lib/worker_heartbeat.py).
from lib.worker_heartbeat import WorkerHeartbeat  # noqa: E402

app.steps["consumer"].add(WorkerHeartbeat)

# --- What a task's log lines and Sentry events say about it (README, Observability) ----------
from celery.signals import after_setup_logger, after_setup_task_logger, before_task_publish, task_postrun, task_prerun  # noqa: E402
from django.db import connection  # noqa: E402

from lib.log_context import JsonFormatter, request_id, request_id_new  # noqa: E402

REQUEST_ID_HEADER = "mizban_request_id"


@before_task_publish.connect(dispatch_uid="mizban_request_id_publish")
def _request_id_publish(headers=None, **_kwargs):
    """A task queued while serving a request carries that request's ID."""
    if headers is not None and request_id.get():
        headers.setdefault(REQUEST_ID_HEADER, request_id.get())


@task_prerun.connect(dispatch_uid="mizban_task_context")
def _task_context(task=None, task_id=None, **_kwargs):
    """Runs after tenant-schemas-celery switched to the task's schema (its handler was connected
    first): the ID of the request that queued the task (or the task's own) for the log lines, and
    the schema as Sentry's `tenant` tag, as a request's errors have it (tenants/middleware.py)."""
    headers = getattr(task.request, "headers", None) or {}
    offered = headers.get(REQUEST_ID_HEADER) or getattr(task.request, REQUEST_ID_HEADER, None)
    request_id.set(request_id_new(offered or (task_id or "").replace("-", "")))
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.set_tag("tenant", connection.schema_name)
        sentry_sdk.set_tag("request_id", request_id.get())


@task_postrun.connect(dispatch_uid="mizban_task_context_end")
def _task_context_end(**_kwargs):
    request_id.set("")


@after_setup_logger.connect(dispatch_uid="mizban_json_logs")
@after_setup_task_logger.connect(dispatch_uid="mizban_json_task_logs")
def _json_logs(logger=None, **_kwargs):
    """With LOG_FORMAT=json the worker's and beat's lines are JSON too, in Celery's handlers."""
    if settings.LOG_FORMAT == "json" and logger is not None:
        for handler in logger.handlers:
            handler.setFormatter(JsonFormatter())
