# The workloads of modules/app (main.tf holds their shared settings). web rolls only after
# the release's migration Job finished (depends_on): the Job runs migrate_tenants, then the
# new pods' /readyz agrees that every schema is current before they take traffic.

resource "kubernetes_job_v1" "migrate" {
  # checkov:skip=CKV_K8S_14:the image is var.image, which variables.tf refuses unless pinned by digest (@sha256:…); checkov cannot see a variable's value
  # checkov:skip=CKV_K8S_43:the same: var.image is validated to be a digest at plan time
  # checkov:skip=CKV_K8S_35:Django's settings read their secrets from the environment (mizban/settings.py); the Secret is synced from the store, the pod runs as a non-root user with no service account token, and only that user can read /proc/<pid>/environ
  metadata {
    name      = "mizban-migrate-${var.release}"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.migrate)
  }
  spec {
    backoff_limit              = 2
    active_deadline_seconds    = 3600
    ttl_seconds_after_finished = 604800 # a week of its log for the release's record
    template {
      metadata {
        labels = merge(var.labels, local.selector.migrate)
      }
      spec {
        restart_policy                  = "Never"
        automount_service_account_token = false
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "migrate"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["migrate"]
          env_from {
            secret_ref {
              name = var.app_secret
            }
          }
          dynamic "env" {
            for_each = local.env
            content {
              name  = env.key
              value = env.value
            }
          }
          dynamic "env" {
            for_each = local.credential_env
            content {
              name = env.key
              value_from {
                secret_key_ref {
                  name = var.database.credentials_secret
                  key  = env.value
                }
              }
            }
          }
          # After the variables they are made of: Kubernetes expands $(VAR) from earlier entries only.
          dynamic "env" {
            for_each = local.composed_env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = { cpu = "250m", memory = "512Mi" }
            limits   = { cpu = "2", memory = "2Gi" }
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "1Gi"
          }
        }
      }
    }
  }
  # Terraform waits for migrate_tenants to finish (and fails the apply if it did not)
  # before it changes any Deployment below.
  wait_for_completion = true
  timeouts {
    create = "60m"
    update = "60m"
  }
}

resource "kubernetes_service_v1" "web" {
  metadata {
    name      = "mizban-web"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.web)
  }
  spec {
    selector = local.selector.web
    port {
      name        = "http"
      port        = 80
      target_port = local.web_port
    }
  }
}

resource "kubernetes_deployment_v1" "web" {
  # checkov:skip=CKV_K8S_14:the image is var.image, which variables.tf refuses unless pinned by digest (@sha256:…); checkov cannot see a variable's value
  # checkov:skip=CKV_K8S_43:the same: var.image is validated to be a digest at plan time
  # checkov:skip=CKV_K8S_35:Django's settings read their secrets from the environment (mizban/settings.py); the Secret is synced from the store, the pod runs as a non-root user with no service account token, and only that user can read /proc/<pid>/environ
  metadata {
    name      = "mizban-web"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.web)
  }
  spec {
    # The autoscaler owns the count; this is the count before it first acts.
    replicas = var.web.min_replicas
    selector {
      match_labels = local.selector.web
    }
    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_unavailable = "0"
        max_surge       = "25%"
      }
    }
    template {
      metadata {
        labels      = merge(var.labels, local.selector.web)
        annotations = { "mizban.ir/release" = var.release }
      }
      spec {
        termination_grace_period_seconds = 30
        automount_service_account_token  = false
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "web"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["web"]
          port {
            name           = "http"
            container_port = local.web_port
          }
          env_from {
            secret_ref {
              name = var.app_secret
            }
          }
          dynamic "env" {
            for_each = local.env
            content {
              name  = env.key
              value = env.value
            }
          }
          dynamic "env" {
            for_each = local.credential_env
            content {
              name = env.key
              value_from {
                secret_key_ref {
                  name = var.database.credentials_secret
                  key  = env.value
                }
              }
            }
          }
          # After the variables they are made of: Kubernetes expands $(VAR) from earlier entries only.
          dynamic "env" {
            for_each = local.composed_env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = { cpu = var.web.cpu_request, memory = var.web.memory_request }
            limits   = { cpu = var.web.cpu_limit, memory = var.web.memory_limit }
          }
          startup_probe {
            http_get {
              path = "/healthz"
              port = local.web_port
              http_header {
                name  = "Host"
                value = local.probe_host
              }
              # As the ingress says it: without it production's HTTPS redirect answers 301,
              # which Kubernetes counts as a success.
              http_header {
                name  = "X-Forwarded-Proto"
                value = "https"
              }
            }
            period_seconds    = 5
            failure_threshold = 24 # two minutes to import and bind
          }
          liveness_probe {
            http_get {
              path = "/healthz"
              port = local.web_port
              http_header {
                name  = "Host"
                value = local.probe_host
              }
              # As the ingress says it: without it production's HTTPS redirect answers 301,
              # which Kubernetes counts as a success.
              http_header {
                name  = "X-Forwarded-Proto"
                value = "https"
              }
            }
            period_seconds    = 10
            timeout_seconds   = 5
            failure_threshold = 3
          }
          readiness_probe {
            http_get {
              path = "/readyz"
              port = local.web_port
              http_header {
                name  = "Host"
                value = local.probe_host
              }
              # As the ingress says it: without it production's HTTPS redirect answers 301,
              # which Kubernetes counts as a success.
              http_header {
                name  = "X-Forwarded-Proto"
                value = "https"
              }
            }
            period_seconds    = 10
            timeout_seconds   = 5
            failure_threshold = 2
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "1Gi"
          }
        }
      }
    }
  }
  depends_on = [kubernetes_job_v1.migrate]
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "web" {
  metadata {
    name      = "mizban-web"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.web)
  }
  spec {
    min_replicas = var.web.min_replicas
    max_replicas = var.web.max_replicas
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.web.metadata[0].name
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = var.web.cpu_target_percent
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "web" {
  metadata {
    name      = "mizban-web"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.web)
  }
  spec {
    min_available = "1"
    selector {
      match_labels = local.selector.web
    }
  }
}

resource "kubernetes_deployment_v1" "worker" {
  # checkov:skip=CKV_K8S_14:the image is var.image, which variables.tf refuses unless pinned by digest (@sha256:…); checkov cannot see a variable's value
  # checkov:skip=CKV_K8S_43:the same: var.image is validated to be a digest at plan time
  # checkov:skip=CKV_K8S_35:Django's settings read their secrets from the environment (mizban/settings.py); the Secret is synced from the store, the pod runs as a non-root user with no service account token, and only that user can read /proc/<pid>/environ
  metadata {
    name      = "mizban-worker"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.worker)
  }
  spec {
    replicas = var.worker.replicas
    selector {
      match_labels = local.selector.worker
    }
    template {
      metadata {
        labels      = merge(var.labels, local.selector.worker)
        annotations = { "mizban.ir/release" = var.release }
      }
      spec {
        # A task in hand is finished before the pod goes (tasks are acknowledged late, so one
        # cut short runs again on another worker).
        termination_grace_period_seconds = 120
        automount_service_account_token  = false
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "worker"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["worker"]
          env_from {
            secret_ref {
              name = var.app_secret
            }
          }
          dynamic "env" {
            for_each = local.env
            content {
              name  = env.key
              value = env.value
            }
          }
          dynamic "env" {
            for_each = local.credential_env
            content {
              name = env.key
              value_from {
                secret_key_ref {
                  name = var.database.credentials_secret
                  key  = env.value
                }
              }
            }
          }
          # After the variables they are made of: Kubernetes expands $(VAR) from earlier entries only.
          dynamic "env" {
            for_each = local.composed_env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = { cpu = var.worker.cpu_request, memory = var.worker.memory_request }
            limits   = { cpu = var.worker.cpu_limit, memory = var.worker.memory_limit }
          }
          liveness_probe {
            exec {
              command = ["sh", "-c", "exec python -m celery -A mizban inspect ping --timeout 10 --destination \"worker@$HOSTNAME\""]
            }
            initial_delay_seconds = 60
            period_seconds        = 60
            timeout_seconds       = 30
            failure_threshold     = 3
          }
          # No Service selects worker pods: readiness gates nothing but the rollout, which waits for it.
          readiness_probe {
            exec {
              command = ["sh", "-c", "exec python -m celery -A mizban inspect ping --timeout 10 --destination \"worker@$HOSTNAME\""]
            }
            initial_delay_seconds = 15
            period_seconds        = 60
            timeout_seconds       = 30
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "1Gi"
          }
        }
      }
    }
  }
  depends_on = [kubernetes_job_v1.migrate]
}

resource "kubernetes_deployment_v1" "beat" {
  # checkov:skip=CKV_K8S_14:the image is var.image, which variables.tf refuses unless pinned by digest (@sha256:…); checkov cannot see a variable's value
  # checkov:skip=CKV_K8S_43:the same: var.image is validated to be a digest at plan time
  # checkov:skip=CKV_K8S_35:Django's settings read their secrets from the environment (mizban/settings.py); the Secret is synced from the store, the pod runs as a non-root user with no service account token, and only that user can read /proc/<pid>/environ
  metadata {
    name      = "mizban-beat"
    namespace = var.namespace
    labels    = merge(var.labels, local.selector.beat)
  }
  spec {
    # Exactly one: two beats would send every periodic task twice. Recreate stops the old
    # one before the new one starts.
    replicas = 1
    selector {
      match_labels = local.selector.beat
    }
    strategy {
      type = "Recreate"
    }
    template {
      metadata {
        labels      = merge(var.labels, local.selector.beat)
        annotations = { "mizban.ir/release" = var.release }
      }
      spec {
        termination_grace_period_seconds = 30
        automount_service_account_token  = false
        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "beat"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["beat"]
          env_from {
            secret_ref {
              name = var.app_secret
            }
          }
          dynamic "env" {
            for_each = local.env
            content {
              name  = env.key
              value = env.value
            }
          }
          dynamic "env" {
            for_each = local.credential_env
            content {
              name = env.key
              value_from {
                secret_key_ref {
                  name = var.database.credentials_secret
                  key  = env.value
                }
              }
            }
          }
          # After the variables they are made of: Kubernetes expands $(VAR) from earlier entries only.
          dynamic "env" {
            for_each = local.composed_env
            content {
              name  = env.key
              value = env.value
            }
          }
          resources {
            requests = { cpu = "50m", memory = "256Mi" }
            limits   = { cpu = "500m", memory = "512Mi" }
          }
          # Beat writes its schedule file at least every three minutes (Celery's sync).
          liveness_probe {
            exec {
              command = ["sh", "-c", "test -n \"$(find /tmp/mizban -name 'celerybeat-schedule*' -mmin -10)\""]
            }
            initial_delay_seconds = 300
            period_seconds        = 60
          }
          readiness_probe {
            exec {
              command = ["sh", "-c", "ls /tmp/mizban/celerybeat-schedule*"]
            }
            initial_delay_seconds = 10
            period_seconds        = 30
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            privileged                 = false
            capabilities {
              drop = ["ALL"]
            }
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "1Gi"
          }
        }
      }
    }
  }
  depends_on = [kubernetes_job_v1.migrate]
}

output "web_service_name" {
  description = "The web Service the ingress sends to."
  value       = kubernetes_service_v1.web.metadata[0].name
}

output "web_service_port" {
  description = "Its port."
  value       = 80
}

output "migration_job_name" {
  description = "This release's migration Job."
  value       = kubernetes_job_v1.migrate.metadata[0].name
}
