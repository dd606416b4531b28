"""A request event keeps its kind and data; its title is rendered when shown.

The old `title` column becomes `stored_title`. Each existing row whose title its kind and
data give back exactly (the titles below are those of the code that wrote them) gets its
data and an empty stored_title; any other row keeps its words in stored_title, which the
model shows as they are. Runs in every tenant schema and the template, like any tenant
migration; backwards, every row gets its title in words again.
"""

import re

from django.db import migrations, models

_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DIGIT_KEYS = {"number", "code"}

# The titles as the code wrote them until this migration, per kind (the kind a row gets).
_TITLES = {
    "submitted": "ثبت درخواست",
    "objection_submitted": "ثبت اعتراض به پاسخ شماره %(number)s",
    "assigned": "ارجاع به کارشناس",
    "accepted": "پذیرش درخواست و آغاز رسیدگی",
    "moved": "ورود به مرحله «%(stage)s»",
    "note": "یادداشت درونی",
    "asked": "درخواست مدارک یا اطلاعات از متقاضی",
    "citizen_answered": "پاسخ متقاضی دریافت شد",
    "inquiry_sent": "استعلام از %(body)s",
    "inquiry_replied": "پاسخ استعلام از %(body)s رسید",
    "answered": "صدور پاسخ به شماره %(number)s",
    "objection": "اعتراض متقاضی با کد رهگیری %(code)s ثبت شد",
}
# An objection's own first event was written with kind "submitted"; it now has its own kind.
_NEW_KIND = {("submitted", "objection_submitted")}


def _render(kind, data):
    values = {key: str(value).translate(_TO_PERSIAN) if key in _DIGIT_KEYS else value for key, value in data.items()}
    return _TITLES[kind] % values


def _pattern(template):
    parts = re.split(r"%\((\w+)\)s", template)
    # re.split keeps the names at odd positions: literal, name, literal, ...
    return re.compile("^" + "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+)" for i, part in enumerate(parts)) + "$")


_PATTERNS = {kind: _pattern(template) for kind, template in _TITLES.items()}


def _kind_and_data(kind, title):
    """The (kind, data) that render `title` exactly, or None."""
    candidates = [kind] + [new for old, new in _NEW_KIND if old == kind]
    for candidate in candidates:
        found = _PATTERNS.get(candidate) and _PATTERNS[candidate].match(title)
        if not found:
            continue
        data = {key: value.translate(_TO_ASCII) if key in _DIGIT_KEYS else value for key, value in found.groupdict().items()}
        if _render(candidate, data) == title:
            return candidate, data
    return None


def titles_to_data(apps, schema_editor):
    RequestEvent = apps.get_model("intake", "RequestEvent")
    changed = []
    for event in RequestEvent.objects.exclude(stored_title="").only("id", "kind", "stored_title").iterator(chunk_size=2000):
        rebuilt = _kind_and_data(event.kind, event.stored_title)
        if rebuilt is None:
            continue
        event.kind, event.data = rebuilt
        event.stored_title = ""
        changed.append(event)
        if len(changed) >= 2000:
            RequestEvent.objects.bulk_update(changed, ["kind", "data", "stored_title"])
            changed = []
    RequestEvent.objects.bulk_update(changed, ["kind", "data", "stored_title"])


def data_to_titles(apps, schema_editor):
    RequestEvent = apps.get_model("intake", "RequestEvent")
    changed = []
    for event in RequestEvent.objects.filter(stored_title="").iterator(chunk_size=2000):
        try:
            event.stored_title = _render(event.kind, event.data or {})
        except KeyError:
            event.stored_title = event.kind
        event.kind = {new: old for old, new in _NEW_KIND}.get(event.kind, event.kind)
        changed.append(event)
    RequestEvent.objects.bulk_update(changed, ["kind", "stored_title"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0012_letter_objection_days'),
    ]

    operations = [
        migrations.RenameField(
            model_name='requestevent',
            old_name='title',
            new_name='stored_title',
        ),
        migrations.AlterField(
            model_name='requestevent',
            name='stored_title',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='requestevent',
            name='data',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='requestevent',
            name='kind',
            field=models.CharField(choices=[('submitted', 'ثبت درخواست'), ('objection_submitted', 'ثبت اعتراض'), ('assigned', 'ارجاع به کارشناس'), ('accepted', 'پذیرش درخواست'), ('moved', 'ورود به مرحله'), ('note', 'یادداشت درونی'), ('asked', 'درخواست مدارک یا اطلاعات'), ('citizen_answered', 'پاسخ متقاضی'), ('inquiry_sent', 'استعلام'), ('inquiry_replied', 'پاسخ استعلام'), ('answered', 'صدور پاسخ'), ('objection', 'اعتراض متقاضی')], max_length=30),
        ),
        migrations.RunPython(titles_to_data, data_to_titles),
    ]
