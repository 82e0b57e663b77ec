"""Accounts ↔ local companies, end to end against the emulator: matching by name and website."""

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.tests.sync.helpers import events, run_cycle
from tracking.models import Company, Contact

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


def accounts_on(sync_settings):
    sync_settings.account_sync = True
    sync_settings.save()


def test_companies_read_from_salesforce_take_their_domain_from_website(sync_settings, emulator):
    accounts_on(sync_settings)
    emulator.store.insert("Account", {"Name": "Globex", "Website": "https://www.Globex.example/a"})
    emulator.store.insert("Account", {"Name": "Globex Europe", "Website": "globex.example"})
    emulator.store.insert("Account", {"Name": "Hooli"})
    run = run_cycle()
    domains = dict(Company.objects.values_list("name", "domain"))
    assert run.status == RunStatus.SUCCEEDED
    # one domain per company: the second Account with the same domain keeps none
    assert domains == {"Globex": "globex.example", "Globex Europe": "", "Hooli": ""}


def test_a_contact_is_linked_to_its_account_read_in_the_same_cycle(sync_settings, emulator):
    accounts_on(sync_settings)
    account = emulator.store.insert("Account", {"Name": "Acme"})
    emulator.store.insert(
        "Contact", {"LastName": "Ada", "Email": "ada@acme.example", "AccountId": account}
    )
    emulator.store.update("Account", account, {"Phone": "123"})  # the Account changed last
    run_cycle()
    contact = Contact.objects.get(email="ada@acme.example")
    assert contact.company_record == Company.objects.get(salesforce_id=account)
    assert any(
        change["field"] == "company_record" for event in events(contact) for change in event.changes
    )


def test_a_contact_read_before_its_account_is_linked_when_the_account_arrives(
    sync_settings, emulator
):
    # given: the Contact is read while account sync is off
    account = emulator.store.insert("Account", {"Name": "Acme"})
    emulator.store.insert(
        "Contact", {"LastName": "Ada", "Email": "ada@acme.example", "AccountId": account}
    )
    run_cycle()
    contact = Contact.objects.get(email="ada@acme.example")
    assert contact.company_record is None
    # when: account sync is switched on and the Account arrives
    accounts_on(sync_settings)
    run_cycle()
    # then
    contact.refresh_from_db()
    assert contact.company_record.salesforce_id == account
    assert any(
        change["field"] == "company_record" for event in events(contact) for change in event.changes
    )


def test_a_contact_moved_to_another_account_follows_it(sync_settings, emulator):
    accounts_on(sync_settings)
    first = emulator.store.insert("Account", {"Name": "Acme"})
    second = emulator.store.insert("Account", {"Name": "Globex"})
    person = emulator.store.insert(
        "Contact", {"LastName": "Ada", "Email": "ada@acme.example", "AccountId": first}
    )
    run_cycle()
    emulator.store.update("Contact", person, {"AccountId": second})
    run_cycle()
    contact = Contact.objects.get(email="ada@acme.example")
    assert contact.company_record.salesforce_id == second


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
