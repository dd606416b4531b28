"""The password length rule, said in Persian with Persian digits (Django 5.2 changed this
message's msgid and its Persian catalogue still has the old one, so it came out in English)."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _

from lib.persian import to_persian_digits


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("گذرواژه کوتاه است؛ دست‌کم %(count)s نویسه لازم است.") % {"count": to_persian_digits(str(self.min_length))}

    def get_help_text(self) -> str:
        return _("گذرواژه دست‌کم %(count)s نویسه دارد.") % {"count": to_persian_digits(str(self.min_length))}
