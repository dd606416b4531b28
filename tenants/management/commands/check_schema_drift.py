from django.core.management.base import BaseCommand, CommandError

from tenants.models import SpareSchema, Tenant
from tenants.provisioning import schema_signature, template_ensure, template_schema_name


class Command(BaseCommand):
    help = "Compare every tenant schema and every spare with the template (tables, columns, constraints, indexes)."

    def handle(self, *args, **options):
        template_ensure()
        expected = schema_signature(template_schema_name())
        drifted = []
        tenants = Tenant.objects.exclude(status=Tenant.Status.PROVISIONING).values_list("schema_name", flat=True)
        for schema in [*tenants, *SpareSchema.objects.values_list("name", flat=True)]:
            if schema_signature(schema) != expected:
                drifted.append(schema)
        if drifted:
            raise CommandError("Schemas that differ from the template: " + ", ".join(drifted))
        self.stdout.write(self.style.SUCCESS("Every tenant schema and spare matches the template."))
