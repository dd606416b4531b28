# The platform on one cluster, in the order a release needs it: the namespace, the operators
# (optional), secrets from the store, the database and Redis, PgBouncer, the migration Job,
# then web (with its autoscaler), worker and beat, then the ingress and certificates.
# infra/README.md walks an operator through it.

locals {
  labels = {
    "app.kubernetes.io/part-of"    = "mizban"
    "app.kubernetes.io/managed-by" = "terraform"
    "mizban.ir/environment"        = var.environment
  }
}

resource "kubernetes_namespace_v1" "mizban" {
  metadata {
    name   = var.namespace
    labels = merge(local.labels, { "pod-security.kubernetes.io/enforce" = "restricted" })
  }
}

module "operators" {
  source       = "./modules/operators"
  install      = var.install_operators
  install_cnpg = var.database_mode == "cloudnative-pg"
}

module "secrets" {
  source           = "./modules/secrets"
  namespace        = kubernetes_namespace_v1.mizban.metadata[0].name
  labels           = local.labels
  secret_store     = var.secret_store
  secret_keys      = var.secret_keys
  refresh_interval = var.secret_refresh_interval
  database_mode    = var.database_mode
  depends_on       = [module.operators]
}

module "database" {
  source                = "./modules/database"
  namespace             = kubernetes_namespace_v1.mizban.metadata[0].name
  labels                = local.labels
  mode                  = var.database_mode
  external_database_url = var.external_database_url
  cnpg                  = var.cnpg
  object_storage        = var.object_storage
  object_storage_secret = module.secrets.object_storage_secret_name
  depends_on            = [module.operators]
}

module "redis" {
  source          = "./modules/redis"
  namespace       = kubernetes_namespace_v1.mizban.metadata[0].name
  labels          = local.labels
  mode            = var.redis_mode
  external_host   = var.external_redis_host
  image           = var.redis_image
  storage_size    = var.redis_storage_size
  password_secret = module.secrets.app_secret_name
}

module "pgbouncer" {
  source             = "./modules/pgbouncer"
  namespace          = kubernetes_namespace_v1.mizban.metadata[0].name
  labels             = local.labels
  settings           = var.pgbouncer
  database_host      = module.database.host
  database_port      = module.database.port
  database_name      = module.database.name
  database_sslmode   = module.database.sslmode
  credentials_secret = module.database.credentials_secret_name
}

module "app" {
  source             = "./modules/app"
  namespace          = kubernetes_namespace_v1.mizban.metadata[0].name
  labels             = local.labels
  environment        = var.environment
  image              = var.image
  release            = var.release
  platform_domain    = var.platform_domain
  trusted_proxy_hops = var.trusted_proxy_hops
  app_secret         = module.secrets.app_secret_name
  database = {
    host               = module.pgbouncer.host
    port               = module.pgbouncer.port
    name               = module.database.name
    credentials_secret = module.database.credentials_secret_name
  }
  redis_host     = module.redis.host
  object_storage = var.object_storage
  web            = var.web
  worker         = var.worker
  extra_env      = var.extra_env
}

module "ingress" {
  source             = "./modules/ingress"
  namespace          = kubernetes_namespace_v1.mizban.metadata[0].name
  labels             = local.labels
  platform_domain    = var.platform_domain
  custom_domains     = var.custom_domains
  ingress_class_name = var.ingress_class_name
  web_service_name   = module.app.web_service_name
  web_service_port   = module.app.web_service_port
  acme_email         = var.acme_email
  acme_server        = var.acme_server
  dns01_rfc2136      = var.dns01_rfc2136
  tsig_secret_name   = module.secrets.dns_tsig_secret_name
  environment        = var.environment
  depends_on         = [module.operators]
}
