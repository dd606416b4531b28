from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "اعلان‌ها"

    def ready(self):
        from notifications import checks, receivers  # noqa: F401  (registers the system checks and the signal receivers)
