"""The field mappings a fresh install starts with (see mapping_validation.default_mappings)."""

from django.db import migrations
from django.db.models import Q


def create_default_mappings(apps, schema_editor):
    from integrations.sync.mapping_validation import default_mappings

    FieldMapping = apps.get_model("integrations", "FieldMapping")
    for mapping in default_mappings():
        # Leave a field alone when a mapping of it exists already.
        taken = FieldMapping.objects.filter(
            Q(local_field=mapping["local_field"]) | Q(salesforce_field=mapping["salesforce_field"]),
            salesforce_object=mapping["salesforce_object"],
        )
        if not taken.exists():
            FieldMapping.objects.create(**mapping)


def remove_default_mappings(apps, schema_editor):
    from integrations.sync.mapping_validation import default_mappings

    FieldMapping = apps.get_model("integrations", "FieldMapping")
    for mapping in default_mappings():
        FieldMapping.objects.filter(**mapping).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("integrations", "0002_sync"),
    ]

    operations = [
        migrations.RunPython(create_default_mappings, remove_default_mappings),
    ]
