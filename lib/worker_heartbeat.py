"""Is a Celery worker consuming the queue that web sends to? Every consuming worker writes a
key to Redis every WORKER_HEARTBEAT_SECONDS (the step is installed by mizban/celery.py);
`/healthz` and the vendor console read it through `worker_state`.

Why a heartbeat and not `app.control.ping()`: a ping broadcasts to every worker on each
probe and makes the probing request wait out its timeout; a load balancer probing every few
seconds would keep the workers and the web threads busy for nothing. Reading one key costs a
Redis round trip. The key lives on Redis's own clock (SET … EX), so clocks of the web and
worker machines never need to agree.

The step is a consumer bootstep driven by the worker's timer: it beats only while the
consumer is connected and its event loop turns (stopped on a lost connection, restarted
with it), and a graceful stop removes the key at once; a killed worker's key expires.
"""

from __future__ import annotations

import logging

from celery import bootsteps, current_app
from django.conf import settings

logger = logging.getLogger(__name__)

WORKER_OK, WORKER_SILENT, WORKER_IN_PROCESS = "ok", "no answer", "in process"

KEY_PREFIX = "mizban:worker-heartbeat:"
_DELETE_IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def heartbeat_key(queue: str) -> str:
    return KEY_PREFIX + queue


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def worker_answers(queue: str) -> bool:
    """True when a worker consuming `queue` has beaten within the last three intervals.
    Raises redis' errors when Redis itself does not answer."""
    return _redis().exists(heartbeat_key(queue)) > 0


def worker_state() -> str:
    """"ok" when a worker consumes the queue this process sends to (its heartbeat is fresh),
    "no answer" when none does, "in process" when tasks run inside this process (no broker),
    "error: …" when Redis itself does not answer."""
    if settings.TASKS_IN_PROCESS or current_app.conf.task_always_eager:
        return WORKER_IN_PROCESS
    try:
        return WORKER_OK if worker_answers(current_app.conf.task_default_queue) else WORKER_SILENT
    except Exception as error:
        return f"error: {error.__class__.__name__}"


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Consumer step: SET mizban:worker-heartbeat:<queue> <hostname> EX 3×interval, on every
    queue this worker consumes, every interval."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, c, **kwargs):
        self.tref, self.client, self.queues = None, None, []
        super().__init__(c, **kwargs)

    def start(self, c):
        if not settings.REDIS_URL:
            return
        self.client = _redis()
        self.queues = sorted(q.name for q in c.task_consumer.queues) if c.task_consumer else []
        interval = settings.WORKER_HEARTBEAT_SECONDS
        self.beat(c.hostname, interval)
        self.tref = c.timer.call_repeatedly(interval, self.beat, (c.hostname, interval), priority=10)

    def beat(self, hostname: str, interval: float) -> None:
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for queue in self.queues:
                    pipe.set(heartbeat_key(queue), hostname, px=int(interval * 3000))
                pipe.execute()
        except Exception as error:  # Redis away for a moment: the key expires, healthz says so
            logger.warning("Worker heartbeat not written: %s", error.__class__.__name__)

    def stop(self, c):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        if self.client is not None:
            try:  # only our own beat: another worker on the same queue keeps its key
                for queue in self.queues:
                    self.client.eval(_DELETE_IF_OURS, 1, heartbeat_key(queue), c.hostname)
            except Exception:  # stopping anyway; the key expires on its own
                pass

    shutdown = stop
