from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "صورت‌حساب و اشتراک"

    def ready(self):
        from billing import receivers  # noqa: F401  (tenant_onboarded -> a Stripe customer)
