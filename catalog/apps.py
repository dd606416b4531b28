from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "شناسنامه خدمات"

    def ready(self):
        from catalog import audit_labels, receivers  # noqa: F401  (audit labels; registry changes -> cards)
