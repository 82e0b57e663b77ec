"""Contacts and companies get `updated_at`, the cursor of the read API's `updated_since`.

Existing rows start from the latest time the record is known to have been written (created,
changed here or synced), so a client that polls from before the upgrade still sees them.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce, Greatest


def backfill(apps, schema_editor):
    for name in ('Contact', 'Company'):
        model = apps.get_model('tracking', name)
        model.objects.using(schema_editor.connection.alias).update(
            updated_at=Greatest(
                'created_at',
                Coalesce('local_modified_at', 'created_at'),
                Coalesce('salesforce_synced_at', 'created_at'),
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ('tracking', '0003_syncevent'),
    ]

    operations = [
        migrations.AddField(
            model_name=model_name,
            name='updated_at',
            field=models.DateTimeField(
                auto_now=True,
                db_index=True,
                default=django.utils.timezone.now,
                help_text='When any write (here or by the sync) last touched the record.',
            ),
            preserve_default=False,
        )
        for model_name in ('company', 'contact')
    ] + [migrations.RunPython(backfill, migrations.RunPython.noop)]
