"""Fewer relations in every tenant schema (README, "Relations per tenant", issue 14's fourth pass):

- a closure day is keyed by its date and a service's questionnaire choice by its service (one
  row each): no id column and no second unique index beside the key;
- an answer letter's number ("year/sequence") is unique through the pair it is made of
  (`intake_letter_number_once`), not through a second unique index of its own;
- a request's current stage is not indexed: nothing looks requests up by it but deleting a
  stage (which sets it to null), and no hot path misses it (tests/tenants/test_hot_path_plans.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop, key_column_replace, key_column_restore

UNUSED_INDEXES = {
    "intake_request_current_stage_id_91bd877e": "intake_request (current_stage_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0010_fewer_relations"),
        ("intake", "0016_fewer_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(key_column_replace("intake_closureday", "date"), reverse_sql=key_column_restore("intake_closureday", "date")),
                migrations.RunSQL(key_column_replace("intake_servicequestionnaire", "service_id"),
                                  reverse_sql=key_column_restore("intake_servicequestionnaire", "service_id")),
                migrations.RunSQL(
                    ["ALTER TABLE intake_answerletter DROP CONSTRAINT intake_answerletter_number_key"],
                    reverse_sql=["ALTER TABLE intake_answerletter ADD CONSTRAINT intake_answerletter_number_key UNIQUE (number)"],
                ),
                # The index alone: Django's AlterField would also drop and re-add (re-check) the foreign key.
                migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
            ],
            state_operations=[
                migrations.RemoveField(model_name="closureday", name="id"),
                migrations.RemoveField(model_name="servicequestionnaire", name="id"),
                migrations.AlterField(
                    model_name="answerletter",
                    name="number",
                    field=models.CharField(max_length=20, verbose_name="شماره پاسخ"),
                ),
                migrations.AlterField(
                    model_name="closureday",
                    name="date",
                    field=models.DateField(primary_key=True, serialize=False, verbose_name="تاریخ"),
                ),
                migrations.AlterField(
                    model_name="servicequestionnaire",
                    name="service",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="questionnaire_choice", serialize=False, to="catalog.service"),
                ),
                migrations.AlterField(
                    model_name="servicerequest",
                    name="current_stage",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="catalog.workflowstage"),
                ),
            ],
        ),
    ]
