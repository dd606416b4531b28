from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "مشترکان"

    def ready(self):
        from tenants import audit_labels, signals  # noqa: F401  (audit labels; cache invalidation)
