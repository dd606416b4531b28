"""Three starting plans; the vendor sets their Stripe Price IDs and limits in the console."""

from django.db import migrations

PLANS = [
    {"code": "basic", "name": "پایه", "staff_seats": 5, "requests_per_month": 500, "is_trial_default": True, "sort_order": 1},
    {"code": "standard", "name": "استاندارد", "staff_seats": 25, "requests_per_month": 5000, "sort_order": 2},
    {"code": "plus", "name": "پیشرفته", "staff_seats": None, "requests_per_month": None, "sort_order": 3},
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for spec in PLANS:
        Plan.objects.get_or_create(code=spec["code"], defaults=spec)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
