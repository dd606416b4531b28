from django.apps import AppConfig


class PortalThemesConfig(AppConfig):
    name = "portal_themes"
    verbose_name = "ظاهر درگاه"

    def ready(self):
        from lib import branding
        from portal_themes import audit_labels  # noqa: F401  (the theme's audit trail in words)
        from portal_themes.brand import brand_provider

        branding.register(brand_provider)
