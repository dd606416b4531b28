"""A province's tenants in name order, a page at a time (/insights/ for its supervisor)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0009_tenantevent_moved'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='tenant',
            index=models.Index(fields=['province', 'name'], name='tenants_tenant_province_name'),
        ),
    ]
