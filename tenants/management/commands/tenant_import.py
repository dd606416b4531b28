from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import ArchiveRefused, tenant_import


class Command(BaseCommand):
    help = "Restore a tenant_export archive as a new tenant, or over an existing one's data with --replace."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--slug", help="the tenant's slug here (default: the archive's)")
        parser.add_argument("--replace", action="store_true", help="replace the existing tenant's schema and files")

    def handle(self, *args, archive, slug, replace, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No archive at {path}.")
        try:
            summary = tenant_import(path=path, slug=slug, replace=replace)
        except ArchiveRefused as refusal:
            raise CommandError(f"Nothing imported: {refusal}") from refusal
        self.stdout.write(f"{summary.tenant.slug} ({summary.tenant.schema_name}): {summary.tables} tables, "
                          f"{summary.rows} rows, {summary.files} files")
