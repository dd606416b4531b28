from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by invitation only; sign-in leads to the right home."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        if connection.schema_name == "public":
            return reverse("console:home")
        return reverse("staff:home")
