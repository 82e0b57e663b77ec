"""SyncEvent moves to tracking (see tracking 0003_syncevent).

Only Django's idea of where the model lives changes: the table `integrations_syncevent`, its
rows, indexes and foreign keys stay exactly as they are, so nothing is copied.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('integrations', '0003_default_mappings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='SyncEvent',
                ),
            ],
            database_operations=[],
        ),
    ]
