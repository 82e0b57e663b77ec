"""SyncEvent, the per-record sync history, now belongs to tracking.

The model moved from integrations (see integrations 0004_move_syncevent) and keeps its table
`integrations_syncevent`: this migration only records the model's state here, so existing
rows stay where they are and nothing is copied. Its content type moves along, so the
permissions and admin log entries that point at it keep working.
"""

import django.db.models.deletion
from django.db import migrations, models

MODEL = 'syncevent'


def _move_content_type(apps, schema_editor, *, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    # A fresh database has neither yet (content types come after `migrate`); if the new
    # one exists already, the old one is stale and `remove_stale_contenttypes` may drop it.
    if not content_types.filter(app_label=new, model=MODEL).exists():
        content_types.filter(app_label=old, model=MODEL).update(app_label=new)
    ContentType.objects.clear_cache()


def content_type_to_tracking(apps, schema_editor):
    _move_content_type(apps, schema_editor, old='integrations', new='tracking')


def content_type_to_integrations(apps, schema_editor):
    _move_content_type(apps, schema_editor, old='tracking', new='integrations')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('integrations', '0004_move_syncevent'),
        ('tracking', '0002_api_key'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SyncEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('direction', models.CharField(choices=[('outbound', 'To Salesforce'), ('inbound', 'From Salesforce')], max_length=16)),
                        ('operation', models.CharField(choices=[('create', 'Create'), ('update', 'Update'), ('delete', 'Delete'), ('match', 'Match'), ('skip', 'Skip'), ('error', 'Error')], max_length=16)),
                        ('status', models.CharField(choices=[('ok', 'OK'), ('error', 'Error'), ('retried', 'Retried')], default='ok', max_length=16)),
                        ('salesforce_object', models.CharField(blank=True, max_length=40)),
                        ('salesforce_id', models.CharField(blank=True, max_length=18)),
                        ('changes', models.JSONField(blank=True, default=list, help_text='[{"field": ..., "old": ..., "new": ...}]')),
                        ('error_code', models.CharField(blank=True, max_length=64)),
                        ('error_message', models.TextField(blank=True)),
                        ('hint', models.TextField(blank=True)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                        ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='integrations.syncrun')),
                    ],
                    options={
                        'db_table': 'integrations_syncevent',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['content_type', 'object_id', '-created_at'], name='integration_content_04fac9_idx'), models.Index(fields=['status', '-created_at'], name='integration_status_f51730_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_tracking, content_type_to_integrations),
    ]
