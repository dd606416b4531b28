from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "شناسنامه خدمات"

    def ready(self):
        from catalog import receivers  # noqa: F401  (registry changes -> cards)
