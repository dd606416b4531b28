"""Tenants onboarded before billing existed get their account on the trial plan and a
pending customer step, which the beat task then runs."""

from django.db import migrations


def open_accounts(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    Plan = apps.get_model("billing", "Plan")
    BillingAccount = apps.get_model("billing", "BillingAccount")
    BillingStep = apps.get_model("billing", "BillingStep")
    trial_plan = Plan.objects.filter(is_trial_default=True).first()
    for tenant in Tenant.objects.exclude(schema_name="public").exclude(status="provisioning"):
        BillingAccount.objects.get_or_create(tenant=tenant, defaults={"plan": trial_plan})
        BillingStep.objects.get_or_create(tenant=tenant, kind="customer_create", defaults={"status": "pending"})


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_default_plans")]
    operations = [migrations.RunPython(open_accounts, migrations.RunPython.noop)]
