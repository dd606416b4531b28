"""Fewer indexes in every tenant schema (README, "Relations per tenant"): a payment's gateway
authority is never looked up (the callback finds the payment by its public id), and its wizard
token only together with the status "paid", which the partial unique index
payments_one_paid_per_fee (wizard_token, fee_id) WHERE status = 'paid' serves."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_fewer_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='payment',
            name='authority',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='payment',
            name='wizard_token',
            field=models.UUIDField(),
        ),
    ]
