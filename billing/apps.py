from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "صورت‌حساب و اشتراک"

    def ready(self):
        from accounts.hooks import staff_seat_check_register
        from billing import receivers  # noqa: F401  (tenant_onboarded -> a Stripe customer)
        from billing.selectors import staff_seat_limit_check

        # The plan's seat limit applies to every staff invitation (accounts/hooks.py).
        staff_seat_check_register(staff_seat_limit_check)
