"""Nothing typed is lost: a refused form comes back with every value. Browsers never send a
chosen file twice, so the page names each file that has to be chosen again."""

from __future__ import annotations

from django import forms
from django.utils.translation import ngettext

from lib import error_codes
from lib.persian import normalize_text


def file_label(name: str) -> str:
    """A short, harmless label of a user's file name, for showing only."""
    base = normalize_text((name or "").replace("\\", "/").split("/")[-1])
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in " ._-()")
    return (cleaned or "پرونده")[:100]


def choose_again(files, *fields: str) -> str:
    """«پرونده «a.pdf» را دوباره انتخاب کنید.» for what was posted under `fields` (all of
    them when none is named); empty when no file was chosen."""
    names = [file_label(upload.name) for field in (fields or files.keys()) for upload in files.getlist(field)]
    if not names:
        return ""
    quoted = "، ".join(f"«{name}»" for name in names)
    return ngettext(
        "پرونده %(names)s را دوباره انتخاب کنید.", "پرونده‌های %(names)s را دوباره انتخاب کنید.", len(names)
    ) % {"names": quoted}


def form_files_choose_again(form: forms.BaseForm, files) -> None:
    """On a bound form that was refused, say at each file field which file to choose again."""
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.FileField):
            message = choose_again(files, form.add_prefix(name))
            if message:
                form.add_error(name, forms.ValidationError(message, code=error_codes.FILE_CHOOSE_AGAIN))
