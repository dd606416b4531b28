"""public.mizban_migrations_md5(schema): md5 of a schema's own django_migrations, or NULL when
the schema or its table is missing. `migrate_tenants` reads every schema's state with it in one
query (tenants/schema_migrations.py). A PL/pgSQL function rather than query_to_xml: PostgreSQL
builds without libxml (the embedded pgserver is one) have no query_to_xml."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION public.mizban_migrations_md5(schema_name text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    result text;
BEGIN
    IF to_regclass(quote_ident(schema_name) || '.django_migrations') IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format(
        'SELECT md5(coalesce(string_agg(app || %L || name, %L ORDER BY app, name), %L)) FROM %I.django_migrations',
        '.', ',', '', schema_name
    ) INTO result;
    RETURN result;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS public.mizban_migrations_md5(text);"


class Migration(migrations.Migration):
    dependencies = [("tenants", "0007_tenant_name_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
