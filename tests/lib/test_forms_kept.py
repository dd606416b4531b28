"""The line that names the files to choose again after a refused form."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from lib.forms_kept import choose_again


def _files(**fields):
    return MultiValueDict({name: [SimpleUploadedFile(n, b"x") for n in names] for name, names in fields.items()})


def test_one_file_many_files_and_none():
    assert choose_again(_files(attachment=["pasokh.pdf"])) == "پرونده «pasokh.pdf» را دوباره انتخاب کنید."
    assert choose_again(_files(documents=["a.pdf", "b.png"])) == "پرونده‌های «a.pdf»، «b.png» را دوباره انتخاب کنید."
    assert choose_again(_files()) == ""


def test_only_the_named_fields_and_only_a_harmless_name():
    files = _files(documents=["C:\\Users\\me\\<script>sanad.pdf"], other=["x.pdf"])
    assert choose_again(files, "documents") == "پرونده «scriptsanad.pdf» را دوباره انتخاب کنید."
