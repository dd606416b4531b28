"""Circuit breakers: once a server (Redis, the Celery broker) has failed to answer, stop asking
it for a few seconds.

Without one, every request during an outage pays the connection time-out again, often several
times (a page reads the host map, a rate limit and queues a task). With one, the first call
that fails opens the breaker and the calls after it go straight to their fallback until
`cooldown` seconds have passed; then one call tries the server again (and closes the breaker
when it answers, or opens it for another `cooldown`). The state is per process: each web or
worker process finds out for itself, at the cost of one failed call.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str, *, cooldown: float):
        self.name, self.cooldown = name, cooldown
        self._open_until = 0.0
        self._lock = threading.Lock()
        self.failed_at: float | None = None  # monotonic time of the last failure, while open

    def available(self) -> bool:
        """True when the server may be asked (closed, or the cooldown is over: one try)."""
        return time.monotonic() >= self._open_until

    @property
    def is_open(self) -> bool:
        return self.failed_at is not None

    def failure(self, error: BaseException) -> None:
        with self._lock:
            was_open = self.is_open
            self.failed_at = time.monotonic()
            self._open_until = self.failed_at + self.cooldown
        if not was_open:
            logger.warning("%s does not answer (%s: %s); falling back for %ss at a time.",
                           self.name, type(error).__name__, error, self.cooldown)

    def success(self) -> None:
        if self.is_open:
            with self._lock:
                self.failed_at, self._open_until = None, 0.0
            logger.warning("%s answers again.", self.name)


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, *, cooldown: float) -> Breaker:
    """The process's one breaker for `name` (a server's URL, say), made on first use."""
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = Breaker(name, cooldown=cooldown)
        return breaker
