from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "کاربران"

    def ready(self):
        from accounts import audit_labels  # noqa: F401  (the team audit trail in words)
