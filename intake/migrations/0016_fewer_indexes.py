"""Fewer indexes in every tenant schema (README, "Relations per tenant"): the `_like`
(varchar_pattern_ops) copies of unique or indexed codes, which only a LIKE 'prefix%' would use
(every look-up here is by equality), and foreign keys no query filters by (a draft's service,
a questionnaire's services and surveys: questionnaires are never deleted) or that a unique index already leads with (a digest's manager, a
message's files)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "intake_request_mobile_676269cb_like": "intake_request (mobile varchar_pattern_ops)",
    "intake_request_national_code_c491f0d1_like": "intake_request (national_code varchar_pattern_ops)",
    "intake_request_tracking_code_a749b9b2_like": "intake_request (tracking_code varchar_pattern_ops)",
    "intake_answerletter_number_cd8d5102_like": "intake_answerletter (number varchar_pattern_ops)",
    "intake_answerletter_public_id_b24ce7a6_like": "intake_answerletter (public_id varchar_pattern_ops)",
    "intake_survey_token_2a0a2be9_like": "intake_survey (token varchar_pattern_ops)",
    "intake_requestmessage_files_requestmessage_id_7d190a8d": "intake_requestmessage_files (requestmessage_id)",
    "intake_requestmessage_files_attachment_id_43885c64": "intake_requestmessage_files (attachment_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_fewer_indexes'),
        ('intake', '0015_wizard_client_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='latedigest',
            name='manager',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='servicequestionnaire',
            name='questionnaire',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='service_choices', to='intake.questionnaire'),
        ),
        migrations.AlterField(
            model_name='survey',
            name='questionnaire',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='intake.questionnaire'),
        ),
        migrations.AlterField(
            model_name='wizarddraft',
            name='service',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='catalog.service'),
        ),
        # The unique (requestmessage_id, attachment_id) leads with requestmessage_id; attachments are never deleted.
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
