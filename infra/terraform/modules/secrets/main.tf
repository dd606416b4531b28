# Secrets from the cluster's secret store, through External Secrets Operator: Terraform
# declares which key of the store fills which Kubernetes Secret, and the operator copies the
# values inside the cluster. No secret value is a Terraform input, a resource attribute or
# an output, so none is ever in the state.

variable "namespace" {
  type        = string
  description = "Namespace of the platform's workloads."
}

variable "labels" {
  type        = map(string)
  description = "Labels every resource carries."
}

variable "secret_store" {
  type        = object({ name = string, kind = string })
  description = "The (Cluster)SecretStore the operator reads."
}

variable "secret_keys" {
  type        = map(string)
  description = "Remote key in the store of each secret (see the root variable secret_keys)."
}

variable "refresh_interval" {
  type        = string
  description = "How often the operator re-reads the store."
}

variable "database_mode" {
  type        = string
  description = "external: the database credentials come from the store; cloudnative-pg: the operator makes them."
}

variable "cert_manager_namespace" {
  type        = string
  description = "Namespace of cert-manager, where a ClusterIssuer's DNS-01 TSIG secret must be."
  default     = "cert-manager"
}

locals {
  # Environment variable of the processes -> the key of the store that holds it.
  app_secrets = {
    DJANGO_SECRET_KEY          = var.secret_keys.django_secret_key
    STRIPE_SECRET_KEY          = var.secret_keys.stripe_secret_key
    STRIPE_WEBHOOK_SECRET      = var.secret_keys.stripe_webhook_secret
    KAVENEGAR_API_KEY          = var.secret_keys.kavenegar_api_key
    SENTRY_DSN                 = var.secret_keys.sentry_dsn
    PAYMENTS_CREDENTIALS_KEY   = var.secret_keys.payments_key
    MEDIA_S3_ACCESS_KEY_ID     = var.secret_keys.s3_access_key
    MEDIA_S3_SECRET_ACCESS_KEY = var.secret_keys.s3_secret_key
    REDIS_PASSWORD             = var.secret_keys.redis_password
    METRICS_TOKEN              = var.secret_keys.metrics_token
  }
  store_ref = { name = var.secret_store.name, kind = var.secret_store.kind }
}

resource "kubernetes_manifest" "app" {
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ExternalSecret"
    metadata   = { name = "mizban-app", namespace = var.namespace, labels = var.labels }
    spec = {
      refreshInterval = var.refresh_interval
      secretStoreRef  = local.store_ref
      target          = { name = "mizban-app", creationPolicy = "Owner" }
      data = [for name, key in local.app_secrets : {
        secretKey = name
        remoteRef = { key = key }
      }]
    }
  }
}

# The same object storage keys under the names CloudNativePG's backups read.
resource "kubernetes_manifest" "object_storage" {
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ExternalSecret"
    metadata   = { name = "mizban-object-storage", namespace = var.namespace, labels = var.labels }
    spec = {
      refreshInterval = var.refresh_interval
      secretStoreRef  = local.store_ref
      target          = { name = "mizban-object-storage", creationPolicy = "Owner" }
      data = [
        { secretKey = "ACCESS_KEY_ID", remoteRef = { key = var.secret_keys.s3_access_key } },
        { secretKey = "ACCESS_SECRET_KEY", remoteRef = { key = var.secret_keys.s3_secret_key } },
      ]
    }
  }
}

# An external database's user and password, laid out as CloudNativePG lays out its own
# (username, password): PgBouncer and the app read either the same way.
resource "kubernetes_manifest" "database" {
  count = var.database_mode == "external" ? 1 : 0
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ExternalSecret"
    metadata   = { name = "mizban-database", namespace = var.namespace, labels = var.labels }
    spec = {
      refreshInterval = var.refresh_interval
      secretStoreRef  = local.store_ref
      target          = { name = "mizban-database", creationPolicy = "Owner" }
      data = [
        { secretKey = "username", remoteRef = { key = var.secret_keys.database_username } },
        { secretKey = "password", remoteRef = { key = var.secret_keys.database_password } },
      ]
    }
  }
}

resource "kubernetes_manifest" "dns_tsig" {
  manifest = {
    apiVersion = "external-secrets.io/v1beta1"
    kind       = "ExternalSecret"
    metadata   = { name = "mizban-dns-tsig", namespace = var.cert_manager_namespace, labels = var.labels }
    spec = {
      refreshInterval = var.refresh_interval
      secretStoreRef  = local.store_ref
      target          = { name = "mizban-dns-tsig", creationPolicy = "Owner" }
      data            = [{ secretKey = "tsig-secret", remoteRef = { key = var.secret_keys.dns_tsig_secret } }]
    }
  }
}

output "app_secret_name" {
  description = "Secret with the processes' secret settings (DJANGO_SECRET_KEY, STRIPE_*, KAVENEGAR_API_KEY, SENTRY_DSN, PAYMENTS_CREDENTIALS_KEY, MEDIA_S3_*, REDIS_PASSWORD, METRICS_TOKEN)."
  value       = "mizban-app"
}

output "object_storage_secret_name" {
  description = "Secret with the object storage keys for CloudNativePG's backups."
  value       = "mizban-object-storage"
}

output "database_secret_name" {
  description = "Secret with an external database's username and password (database_mode = external)."
  value       = "mizban-database"
}

output "dns_tsig_secret_name" {
  description = "Secret (in cert-manager's namespace) with the TSIG key for DNS-01 updates."
  value       = "mizban-dns-tsig"
}
