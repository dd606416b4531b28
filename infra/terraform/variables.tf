# Every input of the platform, typed and described. Values per environment:
# environments/staging.tfvars and environments/production.tfvars. No secret is an input:
# secrets are read by the cluster from its secret store (modules/secrets), never by Terraform.

variable "kubeconfig_path" {
  type        = string
  description = "Path of the kubeconfig file Terraform uses to reach the cluster."
  default     = "~/.kube/config"
}

variable "kubeconfig_context" {
  type        = string
  description = "Context of the kubeconfig to use (one per cluster); null for the file's current context."
  default     = null
}

variable "environment" {
  type        = string
  description = "Which environment this is: staging or production. Names resources and tags the Sentry events."
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace for every workload of the platform (created here)."
}

variable "image" {
  type        = string
  description = "The Mizban image (Dockerfile at the repository's root), by digest: registry/mizban@sha256:... A tag alone is refused, so a release names exactly what runs."
  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest (…@sha256:<64 hex digits>)."
  }
}

variable "release" {
  type        = string
  description = "Release name (e.g. the git commit or version). Names the migration Job, so each release runs migrate_tenants once before its web pods roll."
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$", var.release))
    error_message = "release must be lower-case letters, digits and dashes, at most 40 characters."
  }
}

variable "platform_domain" {
  type        = string
  description = "The platform's domain: the public site and vendor console on it, each tenant on <slug>.<platform_domain>."
}

variable "custom_domains" {
  type        = list(string)
  description = "Tenants' custom domains that the vendor marked verified in the console (their DNS points at the ingress). Each gets an HTTP-01 certificate."
  default     = []
}

variable "ingress_class_name" {
  type        = string
  description = "IngressClass of the cluster's ingress controller (e.g. nginx)."
  default     = "nginx"
}

variable "trusted_proxy_hops" {
  type        = number
  description = "How many proxies stand in front of gunicorn (the ingress controller, plus a load balancer if any): X-Forwarded-For is believed that far (TRUSTED_PROXY_HOPS)."
  default     = 1
}

variable "install_operators" {
  type        = bool
  description = "Install cert-manager, External Secrets Operator and (with database_mode = cloudnative-pg) CloudNativePG from their Helm charts. False when the cluster already has them."
  default     = false
}

variable "acme_email" {
  type        = string
  description = "E-mail address registered with the ACME certificate authority (expiry notices)."
}

variable "acme_server" {
  type        = string
  description = "ACME directory URL of the certificate authority (Let's Encrypt's, its staging one, or another ACME CA)."
  default     = "https://acme-v02.api.letsencrypt.org/directory"
}

variable "dns01_rfc2136" {
  type = object({
    nameserver     = string
    tsig_key_name  = string
    tsig_algorithm = string
  })
  description = "The authoritative DNS server of platform_domain for the wildcard certificate's DNS-01 challenge, through RFC 2136 dynamic updates (BIND, PowerDNS, Knot: any standard DNS server). The TSIG secret comes from the secret store (secret_keys.dns_tsig_secret)."
}

variable "secret_store" {
  type = object({
    name = string
    kind = string
  })
  description = "The cluster's secret store that External Secrets Operator reads (a ClusterSecretStore or SecretStore already configured for Vault, OpenBao, or another backend)."
  default = {
    name = "mizban"
    kind = "ClusterSecretStore"
  }
  validation {
    condition     = contains(["ClusterSecretStore", "SecretStore"], var.secret_store.kind)
    error_message = "secret_store.kind must be ClusterSecretStore or SecretStore."
  }
}

variable "secret_keys" {
  type = object({
    django_secret_key     = string
    stripe_secret_key     = string
    stripe_webhook_secret = string
    kavenegar_api_key     = string
    sentry_dsn            = string
    payments_key          = string
    s3_access_key         = string
    s3_secret_key         = string
    redis_password        = string
    database_username     = string
    database_password     = string
    dns_tsig_secret       = string
    metrics_token         = string
  })
  description = "Where each secret lives in the secret store (its remote key, e.g. a Vault path such as mizban/production/django#secret_key, as the store's provider spells it). Names only: the values never pass through Terraform."
}

variable "secret_refresh_interval" {
  type        = string
  description = "How often the cluster re-reads the secrets from the store (a rotated secret reaches new pods after this)."
  default     = "1h"
}

variable "database_mode" {
  type        = string
  description = "external: a PostgreSQL run elsewhere, at external_database_url. cloudnative-pg: a cluster in Kubernetes run by the CloudNativePG operator, with WAL archiving and base backups to object storage (point-in-time recovery)."
  validation {
    condition     = contains(["external", "cloudnative-pg"], var.database_mode)
    error_message = "database_mode must be external or cloudnative-pg."
  }
}

variable "external_database_url" {
  type        = string
  description = "With database_mode = external: postgres://host:port/dbname (sslmode as a query parameter allowed), without user or password: those come from the secret store."
  default     = ""
  validation {
    condition     = var.external_database_url == "" || can(regex("^postgres(ql)?://[^:@/]+(:[0-9]+)?/[A-Za-z0-9_]+(\\?.*)?$", var.external_database_url))
    error_message = "external_database_url must be postgres://host[:port]/dbname[?options], with no credentials in it."
  }
}

variable "cnpg" {
  type = object({
    instances          = number
    storage_size       = string
    wal_storage_size   = string
    storage_class      = string
    postgres_image     = string
    backup_retention   = string
    backup_schedule    = string
    backup_destination = string
    max_connections    = number
  })
  description = "With database_mode = cloudnative-pg: instances (1 primary + replicas), volume sizes, storage class, the PostgreSQL image, how long backups are kept (e.g. 30d), the base backup schedule (six-field cron), the object storage path for WAL and backups (s3://bucket/path) and max_connections."
  default = {
    instances          = 3
    storage_size       = "100Gi"
    wal_storage_size   = "20Gi"
    storage_class      = ""
    postgres_image     = "ghcr.io/cloudnative-pg/postgresql:16.4"
    backup_retention   = "30d"
    backup_schedule    = "0 0 1 * * *"
    backup_destination = ""
    max_connections    = 200
  }
}

variable "redis_mode" {
  type        = string
  description = "in-cluster: one Redis in a StatefulSet here (broker and cache; its data may be lost, the outboxes keep what matters). external: a Redis run elsewhere at external_redis_host."
  default     = "in-cluster"
  validation {
    condition     = contains(["in-cluster", "external"], var.redis_mode)
    error_message = "redis_mode must be in-cluster or external."
  }
}

variable "external_redis_host" {
  type        = string
  description = "With redis_mode = external: host:port of the Redis server (its password from secret_keys.redis_password)."
  default     = ""
}

variable "redis_image" {
  type        = string
  description = "Redis image for redis_mode = in-cluster (a tag of the official image, or better its digest in your registry mirror)."
  validation {
    condition     = can(regex("(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$", var.redis_image)) && !endswith(var.redis_image, ":latest")
    error_message = "redis_image must name a fixed tag or a digest, never :latest."
  }
}

variable "redis_storage_size" {
  type        = string
  description = "Volume of the in-cluster Redis (its append-only file)."
  default     = "5Gi"
}

variable "object_storage" {
  type = object({
    endpoint_url = string
    bucket       = string
    region       = string
  })
  description = "S3-compatible object storage for media (an Iranian provider's, MinIO, Ceph RGW): endpoint URL, bucket and region name. Keys from the secret store."
}

variable "pgbouncer" {
  type = object({
    image             = string
    replicas          = number
    max_client_conn   = number
    default_pool_size = number
  })
  validation {
    condition     = can(regex("(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$", var.pgbouncer.image)) && !endswith(var.pgbouncer.image, ":latest")
    error_message = "pgbouncer.image must name a fixed tag or a digest, never :latest."
  }
  description = "PgBouncer in front of PostgreSQL, in session mode (README, Pooling: transaction pooling would hand one tenant's search_path to another): its image (edoburu/pgbouncer's environment interface, by digest), replicas, client connections and server connections per database/user."
}

variable "web" {
  type = object({
    min_replicas       = number
    max_replicas       = number
    cpu_target_percent = number
    gunicorn_workers   = number
    gunicorn_timeout   = number
    cpu_request        = string
    memory_request     = string
    cpu_limit          = string
    memory_limit       = string
  })
  description = "The web Deployment and its HorizontalPodAutoscaler: replica bounds, the CPU use it scales at, gunicorn's workers per pod and request time-out (seconds), and the pod's resources."
}

variable "worker" {
  type = object({
    replicas       = number
    concurrency    = number
    cpu_request    = string
    memory_request = string
    cpu_limit      = string
    memory_limit   = string
  })
  description = "The Celery worker Deployment: replicas, processes per pod, resources."
}

variable "extra_env" {
  type        = map(string)
  description = "Further non-secret settings for every Mizban process (mizban/settings.py reads them), e.g. REGISTRY_SOURCE_URL, TENANT_SPARE_SCHEMAS."
  default     = {}
}
