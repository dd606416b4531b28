"""The ranking of /insights/ kept ready (insights/ranking.py): each tenant's figures per month,
quarter and year, and the months' sums per scope, filled here from the rollup already stored."""

import django.db.models.deletion
from django.db import migrations, models


def _fill(apps, schema_editor):
    # The product's own code (not the historical models): the same rows a rollup writes.
    from insights.models import TenantMonth
    from insights.ranking import scope_months_rebuild, tenant_periods_store
    from tenants.models import Tenant

    for tenant in Tenant.objects.filter(pk__in=TenantMonth.objects.values("tenant_id")).select_related("province"):
        months = list(TenantMonth.objects.filter(tenant=tenant).values_list("month", flat=True))
        tenant_periods_store(tenant=tenant, months=months)
    scope_months_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0002_rollup_run'),
        ('tenants', '0008_migrations_md5_function'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScopeMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=40)),
                ('month', models.PositiveIntegerField()),
                ('accepted', models.BigIntegerField(default=0)),
                ('answered', models.BigIntegerField(default=0)),
                ('on_time', models.BigIntegerField(default=0)),
                ('work_sum', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('scope', 'month'), name='insights_scope_month_once')],
            },
        ),
        migrations.CreateModel(
            name='TenantPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=10)),
                ('kind', models.CharField(max_length=20)),
                ('province_code', models.CharField(max_length=40)),
                ('name', models.CharField(max_length=200)),
                ('band', models.PositiveSmallIntegerField()),
                ('accepted', models.PositiveIntegerField(default=0)),
                ('answered', models.PositiveIntegerField(default=0)),
                ('late', models.PositiveIntegerField(default=0)),
                ('mean_work', models.FloatField(null=True)),
                ('total', models.FloatField(null=True)),
                ('shares', models.JSONField(default=dict)),
                ('computed_at', models.DateTimeField(null=True)),
                ('tenant', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='insight_periods', to='tenants.tenant')),
            ],
            options={
                'indexes': [models.Index(models.F('period'), models.F('kind'), models.F('band'), models.OrderBy(models.F('total'), descending=True, nulls_last=True), models.F('name'), name='insights_period_rank'), models.Index(models.F('period'), models.F('province_code'), models.F('kind'), models.F('band'), models.OrderBy(models.F('total'), descending=True, nulls_last=True), models.F('name'), name='insights_period_province_rank')],
                'constraints': [models.UniqueConstraint(fields=('tenant', 'period'), name='insights_tenant_period_once')],
            },
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
