"""Stored matching keys for contact emails and company names (tracking.models.keys).

Existing rows get their key. Rows that only LOWER() told apart on SQLite (emails differing by
the case of a non-ASCII letter, e.g. `v@MÜNCHEN.de` and `v@münchen.de`) or that differ only by
case folding (`ß`/`ss`) would share a key: the oldest keeps the plain key and is the one the API
and the sync match; each later one keeps its row, its data and its Salesforce link, with the
key `<key> (duplicate of #<id>)` (no email contains a space, so no new email can take it).
Find them in the admin by searching for "duplicate of", and merge or delete them.
"""

import unicodedata

from django.db import migrations, models

import tracking.models.keys

BATCH = 2000


def _key(value):
    # A copy of tracking.models.keys.match_key as it is today: migrations keep their rules.
    folded = unicodedata.normalize("NFC", value.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


def fill_email_keys(apps, schema_editor):
    Contact = apps.get_model("tracking", "Contact")
    owners = {}
    rows = []
    for contact in Contact.objects.order_by("created_at", "pk").only("pk", "email").iterator():
        key = _key(contact.email)
        owner = owners.setdefault(key, contact.pk)
        contact.email_key = key if owner == contact.pk else f"{key} (duplicate of #{owner})"
        rows.append(contact)
        if len(rows) >= BATCH:
            Contact.objects.bulk_update(rows, ["email_key"])
            rows = []
    Contact.objects.bulk_update(rows, ["email_key"])


def fill_name_keys(apps, schema_editor):
    Company = apps.get_model("tracking", "Company")
    rows = []
    for company in Company.objects.only("pk", "name").iterator():
        company.name_key = _key(company.name)
        rows.append(company)
        if len(rows) >= BATCH:
            Company.objects.bulk_update(rows, ["name_key"])
            rows = []
    Company.objects.bulk_update(rows, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0005_contact_account_salesforce_id"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="contact", name="contact_unique_email"),
        migrations.RemoveIndex(model_name="company", name="company_name_lower"),
        migrations.AddField(
            model_name="contact",
            name="email_key",
            field=tracking.models.keys.KeyField(
                default="", editable=False, max_length=762, verbose_name="email in any case"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="company",
            name="name_key",
            field=tracking.models.keys.KeyField(
                default="", editable=False, max_length=765, verbose_name="name in any case"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="contact",
            name="email",
            field=tracking.models.keys.KeyedEmailField(key_field="email_key", max_length=254),
        ),
        migrations.AlterField(
            model_name="company",
            name="name",
            field=tracking.models.keys.KeyedCharField(key_field="name_key", max_length=255),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(fields=("email_key",), name="contact_unique_email"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["name_key"], name="company_name_key"),
        ),
    ]
