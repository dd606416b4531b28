# staging: terraform apply -var-file=environments/staging.tfvars -var image=…@sha256:… -var release=…
# (infra/README.md). Secrets are named here by their key in the store, never given.

environment        = "staging"
namespace          = "mizban-staging"
platform_domain    = "staging.mizban.ir"
kubeconfig_context = "mizban-staging"
install_operators  = true
ingress_class_name = "nginx"
trusted_proxy_hops = 1

acme_email  = "ops@mizban.ir"
acme_server = "https://acme-staging-v02.api.letsencrypt.org/directory"
dns01_rfc2136 = {
  nameserver     = "ns1.mizban.ir:53"
  tsig_key_name  = "mizban-staging-acme"
  tsig_algorithm = "HMACSHA256"
}

# Verified in the console first; then listed here and applied.
custom_domains = []

secret_store = {
  name = "mizban"
  kind = "ClusterSecretStore"
}
secret_keys = {
  django_secret_key     = "mizban/staging/django#secret_key"
  stripe_secret_key     = "mizban/staging/stripe#secret_key"
  stripe_webhook_secret = "mizban/staging/stripe#webhook_secret"
  kavenegar_api_key     = "mizban/staging/kavenegar#api_key"
  sentry_dsn            = "mizban/staging/sentry#dsn"
  payments_key          = "mizban/staging/payments#credentials_key"
  s3_access_key         = "mizban/staging/object-storage#access_key"
  s3_secret_key         = "mizban/staging/object-storage#secret_key"
  redis_password        = "mizban/staging/redis#password"
  database_username     = "mizban/staging/database#username"
  database_password     = "mizban/staging/database#password"
  dns_tsig_secret       = "mizban/staging/dns#tsig_secret"
  metrics_token         = "mizban/staging/metrics#token"
}

database_mode = "external"
# Staging uses the data centre's managed PostgreSQL; its own PITR is the provider's.
external_database_url = "postgres://pg-staging.internal.mizban.ir:5432/mizban?sslmode=require"

redis_mode         = "in-cluster"
redis_image        = "docker.io/library/redis:7.2-alpine"
redis_storage_size = "2Gi"

object_storage = {
  endpoint_url = "https://s3.thr1.example-iran-cloud.ir"
  bucket       = "mizban-staging-media"
  region       = "thr1"
}

pgbouncer = {
  image             = "docker.io/edoburu/pgbouncer:v1.23.1-p2"
  replicas          = 1
  max_client_conn   = 500
  default_pool_size = 20
}

web = {
  min_replicas       = 2
  max_replicas       = 4
  cpu_target_percent = 70
  gunicorn_workers   = 2
  gunicorn_timeout   = 60
  cpu_request        = "250m"
  memory_request     = "512Mi"
  cpu_limit          = "1"
  memory_limit       = "1Gi"
}

worker = {
  replicas       = 1
  concurrency    = 2
  cpu_request    = "250m"
  memory_request = "512Mi"
  cpu_limit      = "1"
  memory_limit   = "1Gi"
}

extra_env = {
  TENANT_SPARE_SCHEMAS = "4"
}
