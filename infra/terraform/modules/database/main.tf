# PostgreSQL: an external server given by URL, or a CloudNativePG cluster in Kubernetes.
# Either way the module says where PgBouncer connects and which Secret holds the user and
# password (keys username, password). With CloudNativePG, point-in-time recovery is on: WAL is
# archived continuously to object storage and a base backup is taken on a schedule
# (infra/README.md, "Backups and point-in-time recovery").

variable "namespace" {
  type        = string
  description = "Namespace of the platform's workloads."
}

variable "labels" {
  type        = map(string)
  description = "Labels every resource carries."
}

variable "mode" {
  type        = string
  description = "external or cloudnative-pg."
}

variable "external_database_url" {
  type        = string
  description = "postgres://host[:port]/dbname[?sslmode=…] for mode = external, without credentials."
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
  description = "The CloudNativePG cluster's size, storage, image and backups (root variable cnpg)."
}

variable "object_storage" {
  type        = object({ endpoint_url = string, bucket = string, region = string })
  description = "The S3-compatible endpoint backups go to."
}

variable "object_storage_secret" {
  type        = string
  description = "Secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY for the backups."
}

locals {
  external = var.mode == "external"
  # postgres://host[:port]/dbname[?query]; the URL was checked by the root variable's validation.
  parsed       = regex("^postgres(?:ql)?://(?P<host>[^:/]+)(?::(?P<port>[0-9]+))?/(?P<name>[^?]+)(?:\\?(?P<query>.*))?$", local.external ? var.external_database_url : "postgres://in-cluster/mizban")
  sslmode      = try(regex("sslmode=([a-z-]+)", var.external_database_url)[0], "require")
  cluster_name = "mizban-db"
}

resource "kubernetes_manifest" "cluster" {
  count = local.external ? 0 : 1
  manifest = {
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata   = { name = local.cluster_name, namespace = var.namespace, labels = var.labels }
    spec = {
      instances             = var.cnpg.instances
      imageName             = var.cnpg.postgres_image
      primaryUpdateStrategy = "unsupervised"
      storage               = merge({ size = var.cnpg.storage_size }, var.cnpg.storage_class == "" ? {} : { storageClass = var.cnpg.storage_class })
      walStorage            = merge({ size = var.cnpg.wal_storage_size }, var.cnpg.storage_class == "" ? {} : { storageClass = var.cnpg.storage_class })
      bootstrap             = { initdb = { database = "mizban", owner = "mizban" } }
      postgresql = {
        parameters = {
          max_connections = tostring(var.cnpg.max_connections)
          # pg_dump of the whole database locks every table of every schema: 1,000 tenants
          # need far more than the default 64 per connection (DESIGN.md).
          max_locks_per_transaction = "1024"
          # A WAL segment is archived at least this often on a quiet database: the most
          # a point-in-time recovery can lose.
          archive_timeout = "5min"
        }
      }
      backup = {
        retentionPolicy = var.cnpg.backup_retention
        barmanObjectStore = {
          destinationPath = var.cnpg.backup_destination
          endpointURL     = var.object_storage.endpoint_url
          s3Credentials = {
            accessKeyId     = { name = var.object_storage_secret, key = "ACCESS_KEY_ID" }
            secretAccessKey = { name = var.object_storage_secret, key = "ACCESS_SECRET_KEY" }
          }
          wal  = { compression = "gzip", maxParallel = 2 }
          data = { compression = "gzip" }
        }
      }
      monitoring = { enablePodMonitor = false }
    }
  }
}

resource "kubernetes_manifest" "scheduled_backup" {
  count = local.external ? 0 : 1
  manifest = {
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "ScheduledBackup"
    metadata   = { name = "${local.cluster_name}-base", namespace = var.namespace, labels = var.labels }
    spec = {
      schedule             = var.cnpg.backup_schedule
      backupOwnerReference = "self"
      immediate            = true
      cluster              = { name = local.cluster_name }
    }
  }
  depends_on = [kubernetes_manifest.cluster]
}

output "host" {
  description = "Host PgBouncer connects to: the external server, or the CloudNativePG primary's Service."
  value       = local.external ? local.parsed.host : "${local.cluster_name}-rw.${var.namespace}.svc"
}

output "port" {
  description = "PostgreSQL's port."
  value       = local.external ? tonumber(coalesce(local.parsed.port, "5432")) : 5432
}

output "name" {
  description = "The database's name."
  value       = local.external ? local.parsed.name : "mizban"
}

output "sslmode" {
  description = "sslmode PgBouncer uses towards PostgreSQL (an external server's URL may set it; in-cluster traffic stays on the cluster network, CloudNativePG serves TLS and it is required)."
  value       = local.external ? local.sslmode : "require"
}

output "credentials_secret_name" {
  description = "Secret with keys username and password: CloudNativePG's own <cluster>-app, or the one synced from the store."
  value       = local.external ? "mizban-database" : "${local.cluster_name}-app"
}
