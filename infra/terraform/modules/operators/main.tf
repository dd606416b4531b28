# The operators the platform relies on, from their own Helm charts, when the cluster lacks
# them (install = true): cert-manager (certificates), External Secrets Operator (secrets from
# the store) and, for database_mode = cloudnative-pg, CloudNativePG. A cluster shared with
# other products usually has them already: leave install false there.

variable "install" {
  type        = bool
  description = "Install the operators."
}

variable "install_cnpg" {
  type        = bool
  description = "Install CloudNativePG too (database_mode = cloudnative-pg)."
}

variable "chart_versions" {
  type = object({
    cert_manager     = string
    external_secrets = string
    cloudnative_pg   = string
  })
  description = "Chart versions installed (each project's own chart repository)."
  default = {
    cert_manager     = "v1.15.3"
    external_secrets = "0.10.4"
    cloudnative_pg   = "0.22.0"
  }
}

resource "helm_release" "cert_manager" {
  count            = var.install ? 1 : 0
  name             = "cert-manager"
  namespace        = "cert-manager"
  create_namespace = true
  repository       = "https://charts.jetstack.io"
  chart            = "cert-manager"
  version          = var.chart_versions.cert_manager
  set {
    name  = "crds.enabled"
    value = "true"
  }
}

resource "helm_release" "external_secrets" {
  count            = var.install ? 1 : 0
  name             = "external-secrets"
  namespace        = "external-secrets"
  create_namespace = true
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.chart_versions.external_secrets
}

resource "helm_release" "cloudnative_pg" {
  count            = var.install && var.install_cnpg ? 1 : 0
  name             = "cnpg"
  namespace        = "cnpg-system"
  create_namespace = true
  repository       = "https://cloudnative-pg.github.io/charts"
  chart            = "cloudnative-pg"
  version          = var.chart_versions.cloudnative_pg
}
