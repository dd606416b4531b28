"""Staff accounts: invitations and roles."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from notifications.services import email_queue
from mizban.hosts import host_url


def set_password_url(*, user: User, host: str, urlconf: str) -> str:
    """A one-time link for `user` to choose a password (allauth's reset-from-key page)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        urlconf=urlconf,
    )
    return host_url(host, path)


@transaction.atomic
def staff_invite(*, email: str, role: str, host: str, organisation: str, urlconf: str, full_name: str = "") -> User:
    """Create a staff account without a password and e-mail a link to set one.

    Runs in the schema of the tenant (or the public schema for vendor staff) it belongs to.
    """
    user = User.objects.create_user(email=email, full_name=full_name, role=role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    context = {
        "user": user,
        "organisation": organisation,
        "link": set_password_url(user=user, host=host, urlconf=urlconf),
        "login_url": host_url(host, reverse("account_login", urlconf=urlconf)),
    }
    email_queue(
        to=[user.email],
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        body=render_to_string("accounts/email/invitation.txt", context),
    )
    return user
