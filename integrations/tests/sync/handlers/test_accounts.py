"""Accounts ↔ local companies, end to end against the emulator: matching by name and website."""

import pytest
from django.utils import timezone

from integrations.tests.sync.helpers import run_cycle
from tracking.models import Company

pytestmark = pytest.mark.django_db


def test_accounts_sync_both_ways_matching_by_name_or_website(sync_settings, emulator):
    sync_settings.account_sync = True
    sync_settings.save()
    existing = emulator.store.insert("Account", {"Name": "Acme"})
    by_site = emulator.store.insert(
        "Account", {"Name": "Umbrella Corporation", "Website": "https://www.umbrella.example/"}
    )
    emulator.store.insert("Account", {"Name": "Globex", "Website": "globex.example"})
    Company.objects.create(name="ACME", local_modified_at=timezone.now())
    Company.objects.create(
        name="Umbrella", domain="umbrella.example", local_modified_at=timezone.now()
    )
    Company.objects.create(name="Initech", local_modified_at=timezone.now())
    run_cycle()
    assert Company.objects.get(name="ACME").salesforce_id == existing
    assert Company.objects.get(name="Globex").website == "globex.example"
    assert emulator.store.count("Account") == 4
    umbrella = Company.objects.get(domain="umbrella.example")
    assert umbrella.salesforce_id == by_site
    assert Company.objects.filter(salesforce_id=by_site).count() == 1
    assert emulator.store.get("Account", by_site)["Website"] == "https://www.umbrella.example/"


def test_outbound_matches_accounts_by_website_before_creating(sync_settings, emulator):
    # given: an Account the pull skips (last changed by the integration user)
    sync_settings.account_sync = True
    sync_settings.save()
    account = emulator.store.insert(
        "Account",
        {"Name": "Initech LLC", "Website": "http://initech.example"},
        user_id=emulator.integration_user_id,
    )
    company = Company.objects.create(
        name="Initech",
        website="https://www.initech.example/about",
        local_modified_at=timezone.now(),
    )
    # when
    run_cycle()
    # then
    company.refresh_from_db()
    assert company.salesforce_id == account
    assert emulator.store.count("Account") == 1


def test_pulled_account_links_the_company_whose_name_differs_in_non_ascii_case(
    sync_settings, emulator
):
    # given
    sync_settings.account_sync = True
    sync_settings.save()
    account = emulator.store.insert("Account", {"Name": "ÖKO ENERGIE"})
    company = Company.objects.create(name="Öko Energie", local_modified_at=timezone.now())
    # when
    run_cycle()
    # then
    company.refresh_from_db()
    assert company.salesforce_id == account
    assert Company.objects.count() == 1
    assert emulator.store.count("Account") == 1
