output "platform_url" {
  description = "The public site: landing page, tenant directory, tracking look-up."
  value       = "https://${var.platform_domain}/"
}

output "console_url" {
  description = "The vendor console (onboarding, tenants, migrations, billing)."
  value       = "https://${var.platform_domain}/console/"
}

output "tenant_url_pattern" {
  description = "Each tenant's portal and staff area: <slug> is the tenant's slug."
  value       = "https://<slug>.${var.platform_domain}/"
}

output "custom_domain_urls" {
  description = "The verified custom domains served by this ingress."
  value       = [for domain in var.custom_domains : "https://${domain}/"]
}

output "health_urls" {
  description = "Liveness (/healthz: what is down) and readiness (/readyz: may this process take traffic: database, Redis, migrations, template schema)."
  value = {
    liveness  = "https://${var.platform_domain}/healthz"
    readiness = "https://${var.platform_domain}/readyz"
  }
}

output "migration_job" {
  description = "The Job that ran migrate_tenants for this release (kubectl -n <namespace> logs job/<name>)."
  value       = module.app.migration_job_name
}

output "database_mode" {
  description = "Where PostgreSQL runs (external or cloudnative-pg), and the host PgBouncer connects to."
  value       = "${var.database_mode}: ${module.database.host}:${module.database.port}/${module.database.name}"
}
