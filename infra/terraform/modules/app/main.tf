# The Mizban processes, all from one image: web (gunicorn, behind a Service, scaled by an
# HPA), the Celery worker, exactly one Celery beat, and the release's migration Job that runs
# migrate_tenants. Every pod: non-root, read-only root filesystem, no privilege escalation, no
# capabilities, RuntimeDefault seccomp, no service account token; /tmp is an emptyDir.

locals {
  selector = {
    web     = { "app.kubernetes.io/name" = "mizban", "app.kubernetes.io/component" = "web" }
    worker  = { "app.kubernetes.io/name" = "mizban", "app.kubernetes.io/component" = "worker" }
    beat    = { "app.kubernetes.io/name" = "mizban", "app.kubernetes.io/component" = "beat" }
    migrate = { "app.kubernetes.io/name" = "mizban", "app.kubernetes.io/component" = "migrate" }
  }
  web_port = 8000
  # Settings that are not secret, for every process (mizban/settings.py reads them).
  env_base = {
    DJANGO_ENV                = "production"
    PLATFORM_DOMAIN           = var.platform_domain
    PLATFORM_URL_SCHEME       = "https"
    TRUSTED_PROXY_HOPS        = tostring(var.trusted_proxy_hops)
    DATABASE_POOL_MODE        = "session"
    SMS_GATEWAY               = "kavenegar"
    SENTRY_ENVIRONMENT        = var.environment
    MIZBAN_RELEASE            = var.release
    MIZBAN_DATA_DIR           = "/tmp/mizban"
    MEDIA_STORAGE             = "s3"
    MEDIA_S3_ENDPOINT_URL     = var.object_storage.endpoint_url
    MEDIA_S3_BUCKET           = var.object_storage.bucket
    MEDIA_S3_REGION           = var.object_storage.region
    MEDIA_S3_ADDRESSING_STYLE = "path"
    # gunicorn's workers count requests into files here, which /metrics adds up (django-prometheus).
    PROMETHEUS_MULTIPROC_DIR  = "/tmp/prometheus"
    GUNICORN_WORKERS          = tostring(var.web.gunicorn_workers)
    GUNICORN_TIMEOUT          = tostring(var.web.gunicorn_timeout)
    GUNICORN_BIND             = "0.0.0.0:${local.web_port}"
    CELERY_WORKER_CONCURRENCY = tostring(var.worker.concurrency)
    DB_HOST                   = var.database.host
    DB_PORT                   = tostring(var.database.port)
    DB_NAME                   = var.database.name
    REDIS_HOST                = var.redis_host
  }
  env = merge(local.env_base, var.extra_env)
  # The database's user and password, from its credentials secret (each container's env).
  credential_env = { DB_USER = "username", DB_PASSWORD = "password" }
  # The URLs are put together by Kubernetes from the variables above and the Secrets' values
  # ($(VAR) expansion), so no password is ever in a Terraform attribute.
  composed_env = {
    DATABASE_URL = "postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST):$(DB_PORT)/$(DB_NAME)"
    REDIS_URL    = "redis://:$(REDIS_PASSWORD)@$(REDIS_HOST)/0"
  }
  probe_host = var.platform_domain
}
