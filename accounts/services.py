"""Staff accounts (invitations and roles) and citizens' accounts (by mobile number)."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.hooks import staff_seat_checks_run
from accounts.models import User
from notifications.services import email_queue
from lib.hosts import host_url


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
    _staff_seat_check(role=role)
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


def _staff_seat_check(*, role: str) -> None:
    """A tenant's plan caps its staff accounts (billing registers the limit: accounts/hooks.py);
    the first admin always fits."""
    if role not in User.STAFF_ROLES or connection.schema_name == "public":
        return
    if not User.objects.filter(is_active=True, role__in=User.STAFF_ROLES).exists():
        return
    staff_seat_checks_run()


def citizen_register_by_mobile(*, mobile: str) -> User | None:
    """The tenant's citizen with this (normalised) mobile number, registered on their first
    sign-in without e-mail or password; unverified until allauth's code comes back. None when
    the number belongs to a staff account, which keeps signing in with e-mail and password."""
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=None, mobile=mobile, role=User.Role.CITIZEN)
        except IntegrityError:  # the same number, signing in twice at once
            user = User.objects.get(mobile=mobile)
    return user if user.role == User.Role.CITIZEN and user.is_active else None
