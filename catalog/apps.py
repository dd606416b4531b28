from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "شناسنامه خدمات"

    def ready(self):
        from catalog import audit_labels, receivers  # noqa: F401  (audit labels; registry changes -> cards)
        from portal_themes.preview_pages import preview_page_register

        preview_page_register("صفحه یک خدمت", _a_service_page)


def _a_service_page():
    """The first published service's page, where the branding editor previews a draft."""
    from django.urls import reverse

    from catalog.models import Service

    service = Service.objects.filter(status=Service.Status.PUBLISHED).order_by("national_id").first()
    return reverse("service_page", args=[service.national_id]) if service else None
