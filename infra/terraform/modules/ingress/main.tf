# The way in: one Ingress for the platform domain and every tenant's subdomain (the wildcard),
# and one for the verified custom domains; TLS from cert-manager. The wildcard certificate
# can only be had through DNS-01 (the CA asks for a TXT record under the domain), done here by
# RFC 2136 dynamic updates to the domain's own DNS server; a custom domain's certificate
# through HTTP-01 (its owner's DNS points at the ingress, and nothing else is ours there).

variable "namespace" {
  type        = string
  description = "Namespace of the platform's workloads."
}

variable "labels" {
  type        = map(string)
  description = "Labels every resource carries."
}

variable "environment" {
  type        = string
  description = "staging or production: names the ClusterIssuers."
}

variable "platform_domain" {
  type        = string
  description = "The platform's domain."
}

variable "custom_domains" {
  type        = list(string)
  description = "Verified custom domains."
}

variable "ingress_class_name" {
  type        = string
  description = "IngressClass of the ingress controller."
}

variable "web_service_name" {
  type        = string
  description = "The web Service."
}

variable "web_service_port" {
  type        = number
  description = "The web Service's port."
}

variable "acme_email" {
  type        = string
  description = "ACME account e-mail."
}

variable "acme_server" {
  type        = string
  description = "ACME directory URL."
}

variable "dns01_rfc2136" {
  type        = object({ nameserver = string, tsig_key_name = string, tsig_algorithm = string })
  description = "DNS server and TSIG key for DNS-01."
}

variable "tsig_secret_name" {
  type        = string
  description = "Secret (in cert-manager's namespace) with key tsig-secret."
}

locals {
  dns01_issuer  = "mizban-${var.environment}-dns01"
  http01_issuer = "mizban-${var.environment}-http01"
  annotations = {
    # Uploads (attachments, forms) are accepted up to lib/uploads.py's limits; the body limit
    # here must not cut them first.
    "nginx.ingress.kubernetes.io/proxy-body-size"    = "25m"
    "nginx.ingress.kubernetes.io/proxy-read-timeout" = "75"
    "nginx.ingress.kubernetes.io/ssl-redirect"       = "true"
  }
}

resource "kubernetes_manifest" "dns01_issuer" {
  manifest = {
    apiVersion = "cert-manager.io/v1"
    kind       = "ClusterIssuer"
    metadata   = { name = local.dns01_issuer, labels = var.labels }
    spec = {
      acme = {
        email               = var.acme_email
        server              = var.acme_server
        privateKeySecretRef = { name = "${local.dns01_issuer}-account" }
        solvers = [{
          dns01 = {
            rfc2136 = {
              nameserver          = var.dns01_rfc2136.nameserver
              tsigKeyName         = var.dns01_rfc2136.tsig_key_name
              tsigAlgorithm       = var.dns01_rfc2136.tsig_algorithm
              tsigSecretSecretRef = { name = var.tsig_secret_name, key = "tsig-secret" }
            }
          }
        }]
      }
    }
  }
}

resource "kubernetes_manifest" "http01_issuer" {
  manifest = {
    apiVersion = "cert-manager.io/v1"
    kind       = "ClusterIssuer"
    metadata   = { name = local.http01_issuer, labels = var.labels }
    spec = {
      acme = {
        email               = var.acme_email
        server              = var.acme_server
        privateKeySecretRef = { name = "${local.http01_issuer}-account" }
        solvers             = [{ http01 = { ingress = { ingressClassName = var.ingress_class_name } } }]
      }
    }
  }
}

# The platform domain and *.platform_domain in one certificate, through DNS-01.
resource "kubernetes_manifest" "wildcard_certificate" {
  manifest = {
    apiVersion = "cert-manager.io/v1"
    kind       = "Certificate"
    metadata   = { name = "mizban-wildcard", namespace = var.namespace, labels = var.labels }
    spec = {
      secretName  = "mizban-wildcard-tls"
      dnsNames    = [var.platform_domain, "*.${var.platform_domain}"]
      issuerRef   = { name = local.dns01_issuer, kind = "ClusterIssuer" }
      privateKey  = { algorithm = "ECDSA", size = 256, rotationPolicy = "Always" }
      renewBefore = "720h"
    }
  }
  depends_on = [kubernetes_manifest.dns01_issuer]
}

resource "kubernetes_ingress_v1" "platform" {
  metadata {
    name        = "mizban-platform"
    namespace   = var.namespace
    labels      = var.labels
    annotations = local.annotations
  }
  spec {
    ingress_class_name = var.ingress_class_name
    tls {
      hosts       = [var.platform_domain, "*.${var.platform_domain}"]
      secret_name = "mizban-wildcard-tls"
    }
    dynamic "rule" {
      for_each = [var.platform_domain, "*.${var.platform_domain}"]
      content {
        host = rule.value
        http {
          path {
            path      = "/"
            path_type = "Prefix"
            backend {
              service {
                name = var.web_service_name
                port {
                  number = var.web_service_port
                }
              }
            }
          }
        }
      }
    }
  }
  depends_on = [kubernetes_manifest.wildcard_certificate]
}

# Verified custom domains: cert-manager's ingress-shim makes one certificate per host from
# the annotation, through HTTP-01. A domain is added here when the vendor verified it in the
# console (the app answers an unverified one with its Persian 404 anyway).
resource "kubernetes_ingress_v1" "custom_domains" {
  count = length(var.custom_domains) > 0 ? 1 : 0
  metadata {
    name        = "mizban-custom-domains"
    namespace   = var.namespace
    labels      = var.labels
    annotations = merge(local.annotations, { "cert-manager.io/cluster-issuer" = local.http01_issuer })
  }
  spec {
    ingress_class_name = var.ingress_class_name
    dynamic "tls" {
      for_each = var.custom_domains
      content {
        hosts       = [tls.value]
        secret_name = "mizban-custom-${replace(tls.value, ".", "-")}-tls"
      }
    }
    dynamic "rule" {
      for_each = var.custom_domains
      content {
        host = rule.value
        http {
          path {
            path      = "/"
            path_type = "Prefix"
            backend {
              service {
                name = var.web_service_name
                port {
                  number = var.web_service_port
                }
              }
            }
          }
        }
      }
    }
  }
  depends_on = [kubernetes_manifest.http01_issuer]
}
