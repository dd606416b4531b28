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
  description = "staging or production (Sentry's environment)."
}

variable "image" {
  type        = string
  description = "The Mizban image, by digest."
}

variable "release" {
  type        = string
  description = "Release name: names the migration Job and is recorded on the pods."
}

variable "platform_domain" {
  type        = string
  description = "PLATFORM_DOMAIN; the probes send it as their Host header."
}

variable "trusted_proxy_hops" {
  type        = number
  description = "TRUSTED_PROXY_HOPS."
}

variable "app_secret" {
  type        = string
  description = "Secret with the processes' secret settings (modules/secrets)."
}

variable "database" {
  type = object({
    host               = string
    port               = number
    name               = string
    credentials_secret = string
  })
  description = "Where the processes connect (PgBouncer) and the Secret with username and password."
}

variable "redis_host" {
  type        = string
  description = "host:port of Redis."
}

variable "object_storage" {
  type        = object({ endpoint_url = string, bucket = string, region = string })
  description = "S3-compatible storage for media (django-storages' settings)."
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
  description = "Web's replicas, autoscaling, gunicorn and resources."
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
  description = "The Celery worker's replicas, processes and resources."
}

variable "extra_env" {
  type        = map(string)
  description = "Further non-secret settings."
}
