"""The project's Persian catalogue: the committed .mo is what the .po compiles to, and its
strings win over Django's and allauth's own Persian."""

from django.utils import translation

from mizban.catalogue import PO, compile_po


def test_the_committed_mo_is_current():
    # If this fails: python -m mizban.catalogue, and commit locale/fa/LC_MESSAGES/django.mo.
    assert PO.with_suffix(".mo").read_bytes() == compile_po(PO.read_text(encoding="utf-8"))


def test_the_catalogue_wins_over_the_apps():
    with translation.override("fa"):
        assert translation.gettext("You must type the same password each time.").startswith("دو گذرواژه‌ای که نوشتید یکسان نیستند")
        assert translation.gettext("This password is entirely numeric.") == "گذرواژه نباید تنها از رقم ساخته شود."


def test_plural_and_context_entries_compile():
    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "باز کردن"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d پرونده"\nmsgstr[1] "%d پرونده"\n'
    )
    import gettext
    import io

    catalogue = gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    assert catalogue.pgettext("menu", "Open") == "باز کردن"
    assert catalogue.ngettext("%d file", "%d files", 3) == "%d پرونده"
