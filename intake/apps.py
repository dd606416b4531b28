from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "درخواست‌ها"

    def ready(self):
        # The plan's "requests per month" is counted here, where requests live (billing/usage.py).
        from billing.usage import REQUESTS_PER_MONTH, usage_counter_register

        usage_counter_register(limit=REQUESTS_PER_MONTH, counter=_requests_this_month)


def _requests_this_month(tenant) -> int:
    from django_tenants.utils import schema_context

    from intake.citizen.selectors import requests_this_month_count

    with schema_context(tenant.schema_name):
        return requests_this_month_count()
