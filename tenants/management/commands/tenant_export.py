from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants.backups import tenant_export
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Write one tenant (its schema's rows, its files, its public rows) to one archive (README, Backups per tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--output", help="the archive's path (default: ./<slug>-<UTC time>.tar.gz)")

    def handle(self, *args, slug, output, **options):
        tenant = Tenant.objects.filter(slug=slug).exclude(status=Tenant.Status.PROVISIONING).first()
        if tenant is None:
            raise CommandError(f"No tenant {slug!r}.")
        path = Path(output or f"{slug}-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz")
        summary = tenant_export(tenant=tenant, path=path)
        self.stdout.write(f"{path}: {summary.tables} tables, {summary.rows} rows, {summary.files} files, "
                          f"{path.stat().st_size} bytes")
