# production: terraform apply -var-file=environments/production.tfvars -var image=…@sha256:… -var release=…
# (infra/README.md). Secrets are named here by their key in the store, never given.

environment        = "production"
namespace          = "mizban-production"
platform_domain    = "mizban.ir"
kubeconfig_context = "mizban-production"
install_operators  = false
ingress_class_name = "nginx"
trusted_proxy_hops = 1

acme_email = "ops@mizban.ir"

dns01_rfc2136 = {
  nameserver     = "ns1.mizban.ir:53"
  tsig_key_name  = "mizban-production-acme"
  tsig_algorithm = "HMACSHA256"
}

# Verified in the console first; then listed here and applied.
custom_domains = ["eservices.isfahan.ir"]

secret_store = {
  name = "mizban"
  kind = "ClusterSecretStore"
}
secret_keys = {
  django_secret_key     = "mizban/production/django#secret_key"
  stripe_secret_key     = "mizban/production/stripe#secret_key"
  stripe_webhook_secret = "mizban/production/stripe#webhook_secret"
  kavenegar_api_key     = "mizban/production/kavenegar#api_key"
  sentry_dsn            = "mizban/production/sentry#dsn"
  payments_key          = "mizban/production/payments#credentials_key"
  s3_access_key         = "mizban/production/object-storage#access_key"
  s3_secret_key         = "mizban/production/object-storage#secret_key"
  redis_password        = "mizban/production/redis#password"
  database_username     = "mizban/production/database#username"
  database_password     = "mizban/production/database#password"
  dns_tsig_secret       = "mizban/production/dns#tsig_secret"
  metrics_token         = "mizban/production/metrics#token"
}

database_mode = "cloudnative-pg"
# In the cluster, by CloudNativePG: three instances, WAL archived continuously and a base
# backup every night to object storage, kept 30 days (point-in-time recovery: infra/README.md).
cnpg = {
  instances          = 3
  storage_size       = "200Gi"
  wal_storage_size   = "50Gi"
  storage_class      = "fast-ssd"
  postgres_image     = "ghcr.io/cloudnative-pg/postgresql:16.4"
  backup_retention   = "30d"
  backup_schedule    = "0 30 1 * * *"
  backup_destination = "s3://mizban-production-backups/postgres"
  max_connections    = 300
}

redis_mode         = "in-cluster"
redis_image        = "docker.io/library/redis:7.2-alpine"
redis_storage_size = "10Gi"

object_storage = {
  endpoint_url = "https://s3.thr1.example-iran-cloud.ir"
  bucket       = "mizban-production-media"
  region       = "thr1"
}

pgbouncer = {
  image             = "docker.io/edoburu/pgbouncer:v1.23.1-p2"
  replicas          = 2
  max_client_conn   = 2000
  default_pool_size = 60
}

web = {
  min_replicas       = 3
  max_replicas       = 12
  cpu_target_percent = 65
  gunicorn_workers   = 3
  gunicorn_timeout   = 60
  cpu_request        = "500m"
  memory_request     = "768Mi"
  cpu_limit          = "2"
  memory_limit       = "1536Mi"
}

worker = {
  replicas       = 3
  concurrency    = 4
  cpu_request    = "500m"
  memory_request = "768Mi"
  cpu_limit      = "2"
  memory_limit   = "2Gi"
}

extra_env = {
  TENANT_SPARE_SCHEMAS = "8"
  REGISTRY_SOURCE_URL  = "https://registry.example.gov.ir/gservice.csv"
}
