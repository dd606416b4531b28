"""The model Request becomes ServiceRequest (Django's own `request` is the HTTP one). The table
keeps its name: the model first states the name it already has, so the rename is state only —
no table, column, index or constraint changes in any schema. Being a plain RenameModel, it lets
django.contrib.contenttypes rename the content type in place; the permissions follow here."""

from django.db import migrations, router

ACTIONS = ("add", "change", "delete", "view")


def _rename_permissions(apps, schema_editor, old: str, new: str, old_title: str, new_title: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    if not router.allow_migrate_model(schema_editor.connection.alias, Permission):
        return  # a tenant schema since accounts.0008: no permissions there (public's would be reached)
    for action in ACTIONS:
        Permission.objects.filter(content_type__app_label="intake", codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {new_title}")


def forwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, "request", "servicerequest", "request", "service request")


def backwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, "servicerequest", "request", "service request", "request")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0013_event_kinds_titles_rendered"),
    ]

    operations = [
        migrations.AlterModelTable(name="request", table="intake_request"),
        migrations.RenameModel(old_name="Request", new_name="ServiceRequest"),
        migrations.RunPython(forwards, backwards),
    ]
