from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "گزارش‌ها و ارزیابی"
    default_auto_field = "django.db.models.BigAutoField"
