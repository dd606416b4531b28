# PgBouncer between the processes and PostgreSQL, in SESSION mode only: tenancy sets each
# connection's search_path once per session, which transaction pooling would hand to another
# client (README, "Pooling"; mizban refuses DATABASE_POOL_MODE=transaction). Many short-lived
# client connections from web and worker pods, a bounded number on PostgreSQL.

variable "namespace" {
  type        = string
  description = "Namespace of the platform's workloads."
}

variable "labels" {
  type        = map(string)
  description = "Labels every resource carries."
}

variable "settings" {
  type = object({
    image             = string
    replicas          = number
    max_client_conn   = number
    default_pool_size = number
  })
  description = "Image (edoburu/pgbouncer's environment interface), replicas and pool sizes."
}

variable "database_host" {
  type        = string
  description = "PostgreSQL's host."
}

variable "database_port" {
  type        = number
  description = "PostgreSQL's port."
}

variable "database_name" {
  type        = string
  description = "The database."
}

variable "database_sslmode" {
  type        = string
  description = "server_tls_sslmode towards PostgreSQL."
}

variable "credentials_secret" {
  type        = string
  description = "Secret with keys username and password."
}

locals {
  selector = { "app.kubernetes.io/name" = "mizban-pgbouncer" }
  port     = 6432
}

resource "kubernetes_service_v1" "pgbouncer" {
  metadata {
    name      = "mizban-pgbouncer"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector)
  }
  spec {
    selector = local.selector
    port {
      name        = "postgres"
      port        = local.port
      target_port = local.port
    }
  }
}

resource "kubernetes_deployment_v1" "pgbouncer" {
  # checkov:skip=CKV_K8S_14:the image is var.settings.image, which the root variable refuses without a fixed tag or digest (never :latest); checkov cannot see a variable's value
  # checkov:skip=CKV_K8S_43:a third-party image whose digest the operator's registry mirror decides; the root variable takes a tag or a digest (infra/README.md says to pin the digest)
  # checkov:skip=CKV_K8S_35:the image's entrypoint builds pgbouncer.ini and its user list from DB_USER/DB_PASSWORD in its environment (edoburu/pgbouncer's interface); the pod runs non-root with no service account token
  metadata {
    name      = "mizban-pgbouncer"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector)
  }
  spec {
    replicas = var.settings.replicas
    selector {
      match_labels = local.selector
    }
    template {
      metadata {
        labels = merge(var.labels, local.selector)
      }
      spec {
        automount_service_account_token = false
        security_context {
          run_as_non_root = true
          run_as_user     = 70 # the image's postgres user
          run_as_group    = 70
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "pgbouncer"
          image             = var.settings.image
          image_pull_policy = "Always"
          dynamic "env" {
            for_each = {
              DB_HOST            = var.database_host
              DB_PORT            = tostring(var.database_port)
              DB_NAME            = var.database_name
              POOL_MODE          = "session"
              LISTEN_PORT        = tostring(local.port)
              MAX_CLIENT_CONN    = tostring(var.settings.max_client_conn)
              DEFAULT_POOL_SIZE  = tostring(var.settings.default_pool_size)
              AUTH_TYPE          = "scram-sha-256"
              SERVER_TLS_SSLMODE = var.database_sslmode
              SERVER_RESET_QUERY = "DISCARD ALL"
            }
            content {
              name  = env.key
              value = env.value
            }
          }
          env {
            name = "DB_USER"
            value_from {
              secret_key_ref {
                name = var.credentials_secret
                key  = "username"
              }
            }
          }
          env {
            name = "DB_PASSWORD"
            value_from {
              secret_key_ref {
                name = var.credentials_secret
                key  = "password"
              }
            }
          }
          port {
            container_port = local.port
          }
          resources {
            requests = { cpu = "50m", memory = "64Mi" }
            limits   = { cpu = "500m", memory = "256Mi" }
          }
          liveness_probe {
            tcp_socket {
              port = local.port
            }
            period_seconds = 10
          }
          readiness_probe {
            tcp_socket {
              port = local.port
            }
            period_seconds = 5
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 70
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          # The image writes its pgbouncer.ini and user list from the environment at start.
          volume_mount {
            name       = "config"
            mount_path = "/etc/pgbouncer"
          }
          volume_mount {
            name       = "run"
            mount_path = "/var/run/pgbouncer"
          }
        }
        volume {
          name = "config"
          empty_dir {
            medium = "Memory"
          }
        }
        volume {
          name = "run"
          empty_dir {}
        }
      }
    }
  }
}

output "host" {
  description = "PgBouncer's Service."
  value       = "mizban-pgbouncer.${var.namespace}.svc"
}

output "port" {
  description = "PgBouncer's port."
  value       = local.port
}
