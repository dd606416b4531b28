"""Fewer indexes in every schema (README, "Relations per tenant"): a message's creation time
(every query by it also filters by status: notifications_sms_pending), a code's SMS (messages
are never deleted), a notice's recipient (the unique (recipient, dedupe_key) leads with it),
and the `_like` copy of the message templates' event (looked up by equality)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "notifications_messagetemplate_event_fefd5ae0_like": "notifications_messagetemplate (event varchar_pattern_ops)",
}


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_sms_expiry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='onetimecode',
            name='sms_message',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='notifications.smsmessage'),
        ),
        migrations.AlterField(
            model_name='smsmessage',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='زمان ثبت'),
        ),
        migrations.AlterField(
            model_name='staffnotice',
            name='recipient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
