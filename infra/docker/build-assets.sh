#!/bin/sh
# What the image's build stage makes once, so that no container writes into /app: the Persian
# catalogue compiled (locale/fa/LC_MESSAGES/django.mo), the static files collected and
# fingerprinted for whitenoise (production's CompressedManifestStaticFilesStorage), and the
# bytecode. Settings are production's; the services they require are named, never reached
# (collectstatic touches no database). tests/infra runs this same script in a virtualenv.
set -eu
cd "${MIZBAN_APP_DIR:-/app}"
python="${MIZBAN_PYTHON:-python}"
"$python" -m mizban.catalogue
DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-not-a-secret \
  DATABASE_URL=postgres://build@127.0.0.1:1/none REDIS_URL=redis://127.0.0.1:1/0 \
  SMS_GATEWAY=kavenegar KAVENEGAR_API_KEY=build-only MEDIA_STORAGE=filesystem MIZBAN_DATA_DIR="${TMPDIR:-/tmp}/mizban-build" \
  "$python" manage.py collectstatic --noinput --verbosity 0
"$python" -m compileall -q -j 0 -x '/(tests|bench|\.venv)/' . >/dev/null
