from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "پرداخت هزینه خدمات"

    def ready(self):
        from payments import receivers  # noqa: F401  (registers the signal receivers)
