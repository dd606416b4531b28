#!/bin/sh
# The image's one entry point: the first argument picks the process, the rest goes to it.
#   web      gunicorn with gunicorn.conf.py (workers, time-outs and bind from GUNICORN_* variables)
#   worker   a Celery worker (CELERY_WORKER_CONCURRENCY processes, default 2)
#   beat     Celery beat, its schedule file under MIZBAN_DATA_DIR (the root filesystem is read-only)
#   migrate  migrate_tenants: the public schema, the template, every tenant (the release's Job)
#   manage   any other manage.py command
# Anything else is run as given. exec: the process gets the signals (SIGTERM on a pod's stop).
# MIZBAN_APP_DIR and MIZBAN_PYTHON exist for tests/infra, which run this same script from a
# virtualenv laid out like the image; in the image they are /app and the venv's python.
set -eu
cd "${MIZBAN_APP_DIR:-/app}"
python="${MIZBAN_PYTHON:-python}"
data="${MIZBAN_DATA_DIR:-/tmp/mizban}"
mkdir -p "$data"
# django-prometheus' files, one per gunicorn worker, added up by /metrics (under /tmp too).
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then mkdir -p "$PROMETHEUS_MULTIPROC_DIR"; fi
command="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$command" in
  web)
    exec "$python" -m gunicorn mizban.wsgi --config gunicorn.conf.py "$@" ;;
  worker)
    exec "$python" -m celery -A mizban worker --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" --hostname "worker@${HOSTNAME:-mizban}" "$@" ;;
  beat)
    exec "$python" -m celery -A mizban beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "$data/celerybeat-schedule" "$@" ;;
  migrate)
    exec "$python" manage.py migrate_tenants "$@" ;;
  manage)
    exec "$python" manage.py "$@" ;;
  *)
    exec "$command" "$@" ;;
esac
