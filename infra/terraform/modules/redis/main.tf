# Redis: the Celery broker and the cache. In the cluster, one server in a StatefulSet with an
# append-only file on its volume and a password; or an external server. A Redis that loses
# its data loses queued tasks only: SMS and e-mails wait in their outboxes and the sweeps
# send them again (README, "Outages").

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
  description = "in-cluster or external."
}

variable "external_host" {
  type        = string
  description = "host:port of an external Redis (mode = external)."
}

variable "image" {
  type        = string
  description = "Redis image (in-cluster)."
}

variable "storage_size" {
  type        = string
  description = "Volume size for the append-only file (in-cluster)."
}

variable "password_secret" {
  type        = string
  description = "Secret with the key REDIS_PASSWORD."
}

locals {
  in_cluster = var.mode == "in-cluster"
  selector   = { "app.kubernetes.io/name" = "mizban-redis" }
}

resource "kubernetes_service_v1" "redis" {
  count = local.in_cluster ? 1 : 0
  metadata {
    name      = "mizban-redis"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector)
  }
  spec {
    selector = local.selector
    port {
      name        = "redis"
      port        = 6379
      target_port = 6379
    }
  }
}

resource "kubernetes_stateful_set_v1" "redis" {
  # checkov:skip=CKV_K8S_43:a third-party image whose digest the operator's registry mirror decides; the root variable takes a tag or a digest, never :latest
  # checkov:skip=CKV_K8S_35:redis-server takes its password on start; it is read from the Secret into the environment and passed by the shell, so it never shows in the pod's spec
  count = local.in_cluster ? 1 : 0
  metadata {
    name      = "mizban-redis"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector)
  }
  spec {
    service_name = "mizban-redis"
    replicas     = 1
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
          run_as_user     = 999
          run_as_group    = 999
          fs_group        = 999
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "redis"
          image             = var.image
          image_pull_policy = "Always"
          # The password from the Secret, never on the command line Kubernetes shows.
          command = ["sh", "-c", "exec redis-server --appendonly yes --dir /data --requirepass \"$REDIS_PASSWORD\" --maxmemory-policy noeviction"]
          env {
            name = "REDIS_PASSWORD"
            value_from {
              secret_key_ref {
                name = var.password_secret
                key  = "REDIS_PASSWORD"
              }
            }
          }
          port {
            container_port = 6379
          }
          resources {
            requests = { cpu = "100m", memory = "256Mi" }
            limits   = { cpu = "1", memory = "1Gi" }
          }
          liveness_probe {
            tcp_socket {
              port = 6379
            }
            period_seconds = 10
          }
          readiness_probe {
            exec {
              command = ["sh", "-c", "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG"]
            }
            period_seconds = 5
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 999
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          volume_mount {
            name       = "data"
            mount_path = "/data"
          }
        }
      }
    }
    volume_claim_template {
      metadata {
        name = "data"
      }
      spec {
        access_modes = ["ReadWriteOnce"]
        resources {
          requests = { storage = var.storage_size }
        }
      }
    }
  }
}

output "host" {
  description = "host:port the processes reach Redis at."
  value       = local.in_cluster ? "mizban-redis.${var.namespace}.svc:6379" : var.external_host
}
