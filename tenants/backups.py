"""One tenant as one archive, and back: `tenant_export` and `tenant_import` (README, "Backups
per tenant"). This is also how a municipality leaves with its data.

The archive (a gzipped tar) holds `manifest.json` (the tenant's row, its custom domains, its
events, its tracking codes, the schema's migrations and, per table, its columns and row count),
`data/<table>.copy` (each table of the schema in PostgreSQL's COPY text format, with the
columns named) and `files/<name>` (every file under the tenant's storage prefix, filesystem or
object storage alike).

What travels, where the issue left it open: every row of the schema, ids unchanged (the rows
refer to each other by them; the platform's shared id sequences are moved past the largest id
imported, so new rows never collide); every file; from the public schema the tenant's own
description, its tracking codes (the platform's index of which tenant issued a code), its
lifecycle events, and its custom domains, imported unverified (their DNS must point at the new
platform before the vendor verifies them again). What stays: billing (the Stripe customer and
subscription belong to the vendor's Stripe account; the imported tenant keeps its status and
has no subscription until one is set up), the insights rollup (rebuilt nightly from the rows),
and SchemaMigrationState (recomputed by the next `migrate_tenants`). An archive is imported
only into a platform whose tenant migrations are exactly the archive's: run the same release
(or migrate the source first).
"""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Domain, Province, Tenant, TenantEvent, TrackingCode
from tenants.provisioning import quote_name, schema_create_from_template, schema_name_for_slug, template_ensure, template_schema_name

FORMAT = "mizban-tenant-archive/1"
SEQUENCES = ("public.mizban_row_id", "public.mizban_int_row_id")
_TENANT_FIELDS = ("slug", "name", "kind", "county", "national_id", "address", "phone", "status", "trial_ends_at", "created_at")


class _Encoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder stops at the millisecond)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class ArchiveRefused(Exception):
    """The archive cannot be imported here; nothing was changed."""


@dataclass
class Summary:
    tenant: Tenant
    tables: int
    rows: int
    files: int


# --- Reading a schema ------------------------------------------------------------------------


def schema_tables(schema: str) -> list[tuple[str, list[str]]]:
    """Every table of `schema` with its columns in order (generated and dropped ones left out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
               WHERE n.nspname = %s AND c.relkind IN ('r', 'p') GROUP BY c.relname ORDER BY c.relname""",
            [schema],
        )
        return [(name, list(columns)) for name, columns in cursor.fetchall()]


def schema_migrations(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app || '.' || name FROM {quote_name(schema)}.django_migrations ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def storage_names(path: str = "") -> list[str]:
    """Every file under the current schema's storage prefix, by its name in the storage."""
    directories, files = default_storage.listdir(path)
    names = [f"{path}{name}" for name in files]
    for directory in directories:
        names += storage_names(f"{path}{directory}/")
    return sorted(names)


def _copy_out(schema: str, table: str, columns: list[str], target) -> int:
    column_list = ", ".join(quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote_name(schema)}.{quote_name(table)} ({column_list}) TO STDOUT") as copy:
            for chunk in copy:
                target.write(chunk)
        cursor.execute(f"SELECT count(*) FROM {quote_name(schema)}.{quote_name(table)}")
        return cursor.fetchone()[0]


# --- Export ----------------------------------------------------------------------------------


def tenant_export(*, tenant: Tenant, path: Path) -> Summary:
    """Write `tenant` to the archive `path`, read in one repeatable-read snapshot so that rows
    written meanwhile cannot leave the archive inconsistent."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # the first statement of the transaction (Django's cursor may set the search_path first)
            connection.ensure_connection()
            with connection.connection.cursor() as raw:
                raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        connection.set_schema_to_public()
        manifest = _manifest(tenant)
        with tarfile.open(path, "w:gz") as archive, tempfile.TemporaryDirectory() as work:
            rows = 0
            for table, columns in schema_tables(tenant.schema_name):
                data = Path(work) / f"{table}.copy"
                with open(data, "wb") as target:
                    count = _copy_out(tenant.schema_name, table, columns, target)
                archive.add(data, arcname=f"data/{table}.copy")
                manifest["tables"].append({"name": table, "columns": columns, "rows": count})
                rows += count
            with schema_context(tenant.schema_name):
                names = storage_names()
                for name in names:
                    with default_storage.open(name, "rb") as handle:
                        _add_bytes(archive, f"files/{name}", handle.read())
            manifest["files"] = names
            _add_bytes(archive, "manifest.json", json.dumps(manifest, cls=_Encoder, ensure_ascii=False, indent=1).encode())
    return Summary(tenant=tenant, tables=len(manifest["tables"]), rows=rows, files=len(names))


def _manifest(tenant: Tenant) -> dict:
    event_fields = [f for f in TenantEvent._meta.concrete_fields if f.name not in ("id", "tenant")]
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "schema": tenant.schema_name,
        "tenant": {**{name: getattr(tenant, name) for name in _TENANT_FIELDS}, "province": tenant.province.code,
                   "parent": tenant.parent.slug if tenant.parent_id else None},
        "custom_domains": sorted(tenant.domains.filter(is_custom=True).values_list("domain", flat=True)),
        "events": [{f.attname: getattr(event, f.attname) for f in event_fields} for event in tenant.events.order_by("id")],
        "tracking_codes": sorted(tenant.tracking_codes.values_list("code", flat=True)),
        "migrations": schema_migrations(tenant.schema_name),
        "tables": [],
    }


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(time.time())
    archive.addfile(info, io.BytesIO(data))


# --- Import ----------------------------------------------------------------------------------


def tenant_import(*, path: Path, slug: str | None = None, replace: bool = False) -> Summary:
    """Restore the archive `path` as the tenant `slug` (the archive's own by default): a new
    tenant, or with `replace` the existing one's schema and files replaced. One transaction:
    a refusal or a failure leaves the database as it was."""
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise ArchiveRefused(f"Not a tenant archive of this format ({manifest.get('format')!r}, expected {FORMAT!r}).")
        slug = slug or manifest["tenant"]["slug"]
        template = template_ensure()
        with transaction.atomic():
            connection.set_schema_to_public()
            _migrations_check(manifest)
            tenant = _tenant_for_import(manifest, slug=slug, replace=replace)
            schema_create_from_template(schema_name=tenant.schema_name, template=template)
            rows = _rows_load(archive, manifest, tenant.schema_name)
            _sequences_advance(tenant.schema_name)
            _public_rows_load(manifest, tenant)
            _files_load(archive, manifest, tenant)
    return Summary(tenant=tenant, tables=len(manifest["tables"]), rows=rows, files=len(manifest["files"]))


def _migrations_check(manifest: dict) -> None:
    here = schema_migrations(template_schema_name())
    if manifest["migrations"] != here:
        missing = sorted(set(manifest["migrations"]) - set(here))
        behind = sorted(set(here) - set(manifest["migrations"]))
        raise ArchiveRefused(
            "The archive's tenant migrations differ from this platform's: "
            f"{len(missing)} only in the archive ({', '.join(missing[:5])}), {len(behind)} only here ({', '.join(behind[:5])}). "
            "Import into a platform running the same release."
        )


def _tenant_for_import(manifest: dict, *, slug: str, replace: bool) -> Tenant:
    existing = Tenant.objects.filter(slug=slug).first()
    if existing is not None:
        if not replace:
            raise ArchiveRefused(f"A tenant {slug!r} exists already: give another --slug, or --replace to replace its data.")
        tenant_data_drop(tenant=existing)
        existing.tracking_codes.all().delete()
        return existing
    described = manifest["tenant"]
    province = Province.objects.filter(code=described["province"]).first()
    if province is None:
        raise ArchiveRefused(f"No province {described['province']!r} on this platform.")
    fields = {name: described[name] for name in _TENANT_FIELDS if name not in ("slug", "created_at")}
    for name in ("trial_ends_at",):
        fields[name] = Tenant._meta.get_field(name).to_python(fields[name])
    if fields["status"] == Tenant.Status.PROVISIONING:
        fields["status"] = Tenant.Status.TRIAL
    if fields["national_id"] and Tenant.objects.filter(national_id=fields["national_id"]).exists():
        raise ArchiveRefused(f"Another tenant here has the national ID {fields['national_id']}.")
    tenant = Tenant.objects.create(schema_name=schema_name_for_slug(slug), slug=slug, province=province,
                                   parent=Tenant.objects.filter(slug=described["parent"]).first() if described["parent"] else None,
                                   **fields)
    Tenant.objects.filter(pk=tenant.pk).update(created_at=Tenant._meta.get_field("created_at").to_python(described["created_at"]))
    Domain.objects.create(domain=tenant.subdomain, tenant=tenant, is_primary=True)
    for domain in manifest["custom_domains"]:
        if not Domain.objects.filter(domain=domain).exists():
            Domain.objects.create(domain=domain, tenant=tenant, is_primary=False, is_custom=True, is_verified=False)
    return tenant


def _rows_load(archive: tarfile.TarFile, manifest: dict, schema: str) -> int:
    here = dict(schema_tables(schema))
    with connection.cursor() as cursor:
        tables = ", ".join(f"{quote_name(schema)}.{quote_name(name)}" for name in here)
        # The template's seeded rows go (the archive has the tenant's own): their foreign keys'
        # deferred checks run first, as TRUNCATE refuses tables with checks pending; the archive's
        # rows are then checked at commit, in whatever order the tables come.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        rows = 0
        for table in manifest["tables"]:
            if here.get(table["name"]) != table["columns"]:
                raise ArchiveRefused(f"The table {table['name']} has other columns here than in the archive.")
            column_list = ", ".join(quote_name(c) for c in table["columns"])
            source = archive.extractfile(f"data/{table['name']}.copy")
            with cursor.cursor.copy(f"COPY {quote_name(schema)}.{quote_name(table['name'])} ({column_list}) FROM STDIN") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            rows += table["rows"]
    return rows


def _sequences_advance(schema: str) -> None:
    """The ids came from another platform's (or an earlier) run of the shared sequences: each
    sequence is moved past the largest id now using it, never back."""
    with connection.cursor() as cursor:
        for sequence in SEQUENCES:
            cursor.execute(
                """SELECT table_name, column_name FROM information_schema.columns
                   WHERE table_schema = %s AND column_default LIKE %s""",
                # The default names the sequence with or without `public.`, as the search_path shows it.
                [schema, f"nextval('%{sequence.split('.')[1]}'::regclass)"],
            )
            columns = cursor.fetchall()
            if not columns:
                continue
            largest = " UNION ALL ".join(
                f"SELECT max({quote_name(column)})::bigint FROM {quote_name(schema)}.{quote_name(table)}" for table, column in columns)
            cursor.execute(f"SELECT max(m) FROM ({largest}) AS ids(m)")
            top = cursor.fetchone()[0]
            if top is not None:
                cursor.execute(f"SELECT setval(%s, greatest(%s, (SELECT last_value FROM {sequence})))", [sequence, top])


def _public_rows_load(manifest: dict, tenant: Tenant) -> None:
    taken = set(TrackingCode.objects.filter(code__in=manifest["tracking_codes"]).values_list("code", flat=True))
    if taken:
        raise ArchiveRefused(f"{len(taken)} of the archive's tracking codes belong to another tenant here.")
    TrackingCode.objects.bulk_create([TrackingCode(code=code, tenant=tenant) for code in manifest["tracking_codes"]])
    if not tenant.events.exists():
        fields = {f.attname: f for f in TenantEvent._meta.concrete_fields}
        for described in manifest["events"]:
            values = {name: fields[name].to_python(value) for name, value in described.items()}
            event = TenantEvent.objects.create(tenant=tenant, **values)
            # auto_now_add wrote the import's time: the event keeps its own.
            TenantEvent.objects.filter(pk=event.pk).update(created_at=values["created_at"])


def _files_load(archive: tarfile.TarFile, manifest: dict, tenant: Tenant) -> None:
    with schema_context(tenant.schema_name):
        for name in manifest["files"]:
            stored = default_storage.save(name, File(archive.extractfile(f"files/{name}"), name=name))
            if stored != name:
                raise ArchiveRefused(f"The file {name} could not keep its name ({stored}).")


# --- Removing a tenant's data ----------------------------------------------------------------


def tenant_data_drop(*, tenant: Tenant) -> None:
    """The tenant's schema and every file under its prefix, gone; its public row stays (for
    `tenant_import --replace`, or `tenant_purge` after a municipality has left with its archive)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks pending in this transaction run before the DROP
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote_name(tenant.schema_name)} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with schema_context(tenant.schema_name):
        for name in storage_names():
            default_storage.delete(name)


@transaction.atomic
def tenant_purge(*, tenant: Tenant) -> None:
    """A tenant removed from this platform: its data, its files, and its public rows (domains,
    tracking codes, events, billing records) with it."""
    tenant_data_drop(tenant=tenant)
    tenant.delete()
