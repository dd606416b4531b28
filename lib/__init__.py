"""The library every app uses: Persian text, Jalali dates, Iranian identifiers, hosts' URLs, the
cache backend, attempt counters, form and audit helpers, PDFs. It imports no app of the project; the
wiring (settings, URL confs, the Celery app, embedded services) lives in `mizban/`."""
