"""Migration 0006: existing contacts and companies get their matching keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("tracking", "0005_contact_account_salesforce_id")]
AFTER = [("tracking", "0006_match_keys")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_existing_rows_get_keys_and_case_duplicates_keep_their_rows(old_apps):
    # given: rows the old Lower() constraint let through on SQLite (on PostgreSQL only the
    # ones that differ by case folding alone, like ß/ss, get past it)
    contact = old_apps.get_model("tracking", "Contact")
    company = old_apps.get_model("tracking", "Company")
    now = timezone.now()
    first = contact.objects.create(email="vera@strasse.example", created_at=now)
    later = contact.objects.create(email="vera@straße.example", created_at=now)
    other = contact.objects.create(email="Ada@Example.com", created_at=now)
    acme = company.objects.create(name="  ÖKO Energie ", created_at=now)
    # when
    apps = _migrate(AFTER)
    # then
    contacts = apps.get_model("tracking", "Contact").objects
    assert contacts.get(pk=first.pk).email_key == "vera@strasse.example"
    assert contacts.get(pk=later.pk).email_key == (
        f"vera@strasse.example (duplicate of #{first.pk})"
    )
    assert contacts.get(pk=later.pk).email == "vera@straße.example"
    assert contacts.get(pk=other.pk).email_key == "ada@example.com"
    assert apps.get_model("tracking", "Company").objects.get(pk=acme.pk).name_key == "öko energie"
