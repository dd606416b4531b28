from django.apps import AppConfig


class PortalThemesConfig(AppConfig):
    name = "portal_themes"
    verbose_name = "ظاهر درگاه"
