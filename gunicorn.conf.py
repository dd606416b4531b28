"""gunicorn's settings, read from the working directory by `gunicorn mizban.wsgi`: every log
record of the server, its access log included (`--access-logfile`), is redacted of tracking,
national and one-time codes before it is written (lib/log_redaction.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lib.log_redaction import install_record_redaction  # noqa: E402

install_record_redaction()

# The server's size and time-outs, from the environment (the image's `web` command reads only
# this file; infra/terraform sets them per environment). A command line's flags still win, as
# the tests' servers use. Values checked by the project's strict readers: a bad one stops start-up.
from mizban.env import env_int, env_str  # noqa: E402

bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")
workers = env_int("GUNICORN_WORKERS", env_int("WEB_CONCURRENCY", 2))
# Four threads a worker (gthread), one worker a core: what served most in bench/load.py on the
# 2-core machine (README, Benchmarks: 2 x 4 against 4 x 4, 2 x 16 and 2 x 2).
threads = env_int("GUNICORN_THREADS", 4)
timeout = env_int("GUNICORN_TIMEOUT", 60)  # a worker silent this long is killed and replaced
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 25)  # inside Kubernetes' 30 s before SIGKILL
keepalive = env_int("GUNICORN_KEEPALIVE", 5)  # behind the ingress, which keeps connections open
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0)  # 0: a worker is never recycled
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 0)
worker_tmp_dir = env_str("GUNICORN_WORKER_TMP_DIR", "") or None  # /dev/shm in the image: the root is read-only
accesslog = env_str("GUNICORN_ACCESS_LOG", "") or None  # "-": standard output

# --- JSON lines and Prometheus' multiprocess files (README, Observability) -------------------
import os  # noqa: E402

from gunicorn.glogging import Logger  # noqa: E402

from lib.log_context import JsonFormatter  # noqa: E402

_production = os.environ.get("DJANGO_ENV") == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "text") == "json":

    class JsonLogger(Logger):
        """gunicorn's error and access lines as JSON objects, with the schema and request ID the
        application's lines have (the access line is written before Django's request_finished)."""

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    logger_class = JsonLogger


def child_exit(server, worker):
    """A gone worker's gauges leave the multiprocess files Prometheus reads (prometheus_client)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
