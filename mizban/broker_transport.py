"""kombu's Redis transport, surviving the loss of Redis while a task is unacknowledged.

With `acks_late`, a worker holds each task it runs unacknowledged. When Redis goes away at that
moment, kombu (5.7) closes the channel and tries to give the unacknowledged tasks back to
Redis, on a connection it has just dropped: an AttributeError that kombu does not count as a
connection error, so the worker stops with "Unrecoverable error" instead of reconnecting
(found by tests/faults/test_redis_down.py). Giving them back cannot work with Redis gone, and
is not needed: Redis keeps them in its unacked index, and the outbox sweep sends any SMS whose
task was lost with a Redis that kept nothing. So the hand-back is skipped when it fails, and the
worker reconnects as for any broker outage.
"""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class QoS(kombu_redis.QoS):
    def restore_unacked_once(self, stderr=None):
        try:
            return super().restore_unacked_once(stderr)
        except (AttributeError, OSError, RedisConnectionError, RedisTimeoutError) as error:
            self._delivered.clear()
            logger.warning("Redis is gone; unacknowledged tasks were not handed back (%s: %s).", type(error).__name__, error)


class Channel(kombu_redis.Channel):
    QoS = QoS


class Transport(kombu_redis.Transport):
    Channel = Channel
