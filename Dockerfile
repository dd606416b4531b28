# syntax=docker/dockerfile:1
# One image for web, worker, beat and the release's migration Job (infra/docker/entrypoint.sh
# picks by its first argument). Two stages: the build stage installs requirements.lock into a
# virtualenv and makes the static files, the compiled catalogue and the bytecode; the runtime
# stage gets those and WeasyPrint's libraries, and no compiler. README: "Production";
# tests/infra/test_image.py lints this file and runs the runtime layout from a virtualenv.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
# A compiler only here, for any package whose wheel is missing for this platform. Debian's
# versions are not pinned (DL3008): bookworm's security updates are the ones to take.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The lock file alone first: the dependencies' layer is reused until the lock changes.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-compile -r /tmp/requirements.lock
WORKDIR /app
COPY . /app
RUN MIZBAN_PYTHON=/opt/venv/bin/python infra/docker/build-assets.sh \
 && python -m compileall -q -j 0 /opt/venv/lib >/dev/null

FROM ${PYTHON_IMAGE} AS runtime
# WeasyPrint's Pango and HarfBuzz (PDFs), fontconfig for the Vazirmatn font; nothing to build.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig libpq5 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 mizban \
 && useradd --system --uid 10001 --gid mizban --home-dir /app --no-create-home --shell /usr/sbin/nologin mizban
# The font the PDFs declare from static/fonts, also known to fontconfig for any other text.
COPY static/fonts/Vazirmatn-Regular.ttf static/fonts/Vazirmatn-Bold.ttf static/fonts/Vazirmatn-OFL.txt /usr/share/fonts/truetype/vazirmatn/
RUN fc-cache -f /usr/share/fonts/truetype/vazirmatn
COPY --from=build /opt/venv /opt/venv
# Owned by root and only readable by the app's user: a process cannot change its own code.
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_ENV=production \
    DJANGO_SETTINGS_MODULE=mizban.settings \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MIZBAN_DATA_DIR=/tmp/mizban \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_WORKER_TMP_DIR=/dev/shm \
    GUNICORN_ACCESS_LOG=-
USER 10001:10001
EXPOSE 8000
# For plain `docker run`; Kubernetes uses its own probes (/healthz liveness, /readyz readiness).
# X-Forwarded-Proto as the ingress sends it: production redirects plain HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request as u; r = u.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ.get('PLATFORM_DOMAIN', 'localhost'), 'X-Forwarded-Proto': 'https'}); sys.exit(0 if u.urlopen(r, timeout=4).status == 200 else 1)"]
ENTRYPOINT ["/app/infra/docker/entrypoint.sh"]
CMD ["web"]
