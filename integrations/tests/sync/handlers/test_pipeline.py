"""The pipeline import: seat holders' open Opportunities at or beyond the pipeline stage bring
their Accounts and Contacts here, whatever the creation toggles say."""

import re

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.emulator.records.ids import make_id
from integrations.emulator.records.objects import STAGES
from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID, SALES_REP_IDS
from integrations.models import Seat
from integrations.tests.sync.helpers import events, run_cycle
from tracking.choices import Origin
from tracking.models import Company, Contact, Opportunity, SyncEvent

pytestmark = pytest.mark.django_db

SAM, RITA = SALES_REP_IDS


@pytest.fixture
def pipeline(sync_settings):
    """Sync on; neither accounts nor new Contacts are synced on their own."""
    sync_settings.account_sync = False
    sync_settings.create_from_contacts = False
    sync_settings.create_from_leads = False
    sync_settings.save()
    return sync_settings


@pytest.fixture
def seat(django_user_model):
    def make(salesforce_user_id, *, crm_sync=True, active=True):
        email = f"{salesforce_user_id.lower()}@example.com"
        user = django_user_model.objects.create_user(email, email)
        return Seat.objects.create(user=user, salesforce_user_id=salesforce_user_id,
                                   salesforce_active=active, crm_sync=crm_sync)  # fmt: skip

    return make


def deal(emulator, stage, *, owner=SAM, account="Acme", contacts=1, **fields):
    """An Opportunity of `owner` at `stage` on a new Account with `contacts` Contacts; the
    Account's id."""
    account_id = emulator.store.insert("Account", {"Name": account, "OwnerId": owner})
    domain = re.sub(r"[^a-z0-9]+", "-", account.lower()).strip("-")
    for number in range(contacts):
        emulator.store.insert("Contact", {
            "LastName": f"{account} {number}", "Email": f"{number}@{domain}.example",
            "AccountId": account_id, "OwnerId": owner,
        })  # fmt: skip
    emulator.store.insert("Opportunity", {
        "Name": f"{account} deal", "StageName": stage, "CloseDate": timezone.now().date(),
        "AccountId": account_id, "OwnerId": owner, **fields,
    })  # fmt: skip
    return account_id


def imported_companies() -> set[str]:
    return set(Company.objects.values_list("name", flat=True))


def test_opportunities_at_and_beyond_the_stage_bring_their_accounts_and_contacts(
    pipeline, emulator, seat
):
    # given: Sam's deals before, at and beyond "Value Proposition", and closed ones
    seat(SAM)
    pipeline.pipeline_stage = "Value Proposition"
    pipeline.save()
    deal(emulator, "Needs Analysis", account="Before")
    at = deal(emulator, "Value Proposition", account="At", contacts=2)
    deal(emulator, "Negotiation/Review", account="Beyond")
    deal(emulator, "Closed Won", account="Won")
    deal(emulator, "Closed Lost", account="Lost")

    # when
    run = run_cycle()

    # then: the Accounts of the open deals at and beyond, with their Contacts, linked
    assert run.status == RunStatus.SUCCEEDED
    assert imported_companies() == {"At", "Beyond"}
    company = Company.objects.get(name="At")
    assert (company.salesforce_id, company.origin) == (at, Origin.SALESFORCE)
    assert sorted(Contact.objects.values_list("email", flat=True)) == [
        "0@at.example", "0@beyond.example", "1@at.example",
    ]  # fmt: skip
    assert {
        contact.company_record for contact in Contact.objects.filter(account_salesforce_id=at)
    } == {company}


def test_stage_order_comes_from_the_org(pipeline, emulator, seat):
    # given: the org moved "Prospecting" after "Negotiation/Review" (SortOrder)
    seat(SAM)
    prospecting = make_id("01J", 1)
    emulator.store.update("OpportunityStage", prospecting, {"SortOrder": 99}, system=True)
    pipeline.pipeline_stage = "Negotiation/Review"
    pipeline.save()
    deal(emulator, "Prospecting", account="Late starter")
    deal(emulator, "Proposal/Price Quote", account="Earlier")

    run_cycle()

    assert imported_companies() == {"Late starter"}


def test_not_sure_imports_every_open_opportunity(pipeline, emulator, seat):
    seat(SAM)
    for number, (stage, *_) in enumerate(STAGES):
        deal(emulator, stage, account=f"Account {number}", contacts=0)

    run_cycle()

    open_ones = {f"Account {number}" for number, stage in enumerate(STAGES) if not stage[2]}
    assert imported_companies() == open_ones
    assert len(open_ones) == 8


def test_contacts_in_contact_roles_are_imported_with_a_history(pipeline, emulator, seat):
    # given: a deal whose buyer is a Contact of another Account (and not synced on its own)
    seat(SAM)
    deal(emulator, "Prospecting", account="Acme", contacts=0)
    opportunity = emulator.store.all("Opportunity")[0]["Id"]
    elsewhere = emulator.store.insert("Account", {"Name": "Holding"})
    buyer = emulator.store.insert(
        "Contact", {"LastName": "Buyer", "Email": "buyer@holding.example", "AccountId": elsewhere}
    )
    emulator.store.insert("OpportunityContactRole", {"OpportunityId": opportunity,
                                                     "ContactId": buyer})  # fmt: skip

    run_cycle()

    contact = Contact.objects.get(salesforce_id=buyer)
    assert (contact.last_name, contact.origin) == ("Buyer", Origin.SALESFORCE)
    (created,) = events(contact)
    assert (created.operation, created.direction, created.salesforce_id) == (
        "create", "inbound", buyer,
    )  # fmt: skip
    assert imported_companies() == {"Acme"}  # the buyer's own Account is not in the pipeline


def test_only_seat_holders_with_crm_sync_are_imported(pipeline, emulator, seat):
    # given: auto-sync off; Sam syncs, Rita's seat does not, Mia has no seat, Ian's Salesforce
    # user is inactive
    pipeline.auto_sync_seat_holders = False
    pipeline.save()
    seat(SAM)
    seat(RITA, crm_sync=False)
    seat(INACTIVE_USER_ID, active=False)
    deal(emulator, "Prospecting", owner=SAM, account="Sam's")
    deal(emulator, "Prospecting", owner=RITA, account="Rita's")
    deal(emulator, "Prospecting", owner=MANAGER_USER_ID, account="Mia's")

    run_cycle()

    assert imported_companies() == {"Sam's"}


def test_auto_sync_imports_every_seat_holder(pipeline, emulator, seat):
    seat(SAM)
    seat(RITA, crm_sync=False)  # auto-sync on: the per-seat switch does not count
    deal(emulator, "Prospecting", owner=SAM, account="Sam's")
    deal(emulator, "Prospecting", owner=RITA, account="Rita's")

    run_cycle()

    assert imported_companies() == {"Sam's", "Rita's"}


def test_without_a_syncing_seat_nothing_is_asked(pipeline, emulator, seat):
    seat(SAM, crm_sync=False)
    pipeline.auto_sync_seat_holders = False
    pipeline.save()
    deal(emulator, "Prospecting", owner=SAM)
    emulator.reset_stats()

    run_cycle()

    assert imported_companies() == set()
    assert emulator.api_calls_by_path("OpportunityStage") == 0
    assert emulator.api_calls == 2  # the Lead and Contact pulls only


def calls_of_a_cycle(emulator, seat, owners) -> int:
    for owner in owners:
        seat(owner)
        for number in range(3):
            deal(emulator, "Value Proposition", owner=owner, account=f"{owner} {number}")
    run_cycle()  # the first import, and the pulls' watermarks set
    emulator.reset_stats()
    run_cycle()
    return emulator.api_calls


def test_queries_are_batched_for_all_seat_holders(pipeline, emulator, seat):
    pipeline.pipeline_stage = "Needs Analysis"
    pipeline.save()

    one = calls_of_a_cycle(emulator, seat, [SAM])
    emulator.reset()
    Company.objects.all().delete()
    three = calls_of_a_cycle(emulator, seat, [RITA, MANAGER_USER_ID])

    # pulls of Lead and Contact; stages, Opportunities, Accounts, contact roles, Contacts
    assert one == three == 7
    assert Company.objects.count() == 6


def test_a_cycle_with_nothing_new_writes_no_history(pipeline, emulator, seat):
    seat(SAM)
    deal(emulator, "Prospecting", contacts=2)
    run_cycle()
    before = SyncEvent.objects.count()

    run = run_cycle()

    assert SyncEvent.objects.count() == before
    assert run.counts.get("Contact", {}).get("created", 0) == 0


def test_mirrored_opportunities_are_linked_to_what_was_imported(pipeline, emulator, seat):
    # given: opportunity sync on, so the deal is mirrored before its Account and Contact arrive
    pipeline.opportunity_sync = True
    pipeline.save()
    seat(SAM)
    account = deal(emulator, "Prospecting", contacts=1)
    opportunity_id = emulator.store.all("Opportunity")[0]["Id"]
    (contact_id,) = [row["Id"] for row in emulator.store.all("Contact")]
    emulator.store.insert("OpportunityContactRole", {"OpportunityId": opportunity_id,
                                                     "ContactId": contact_id})  # fmt: skip

    run_cycle()

    opportunity = Opportunity.objects.get(salesforce_id=opportunity_id)
    assert opportunity.company.salesforce_id == account
    assert [contact.salesforce_id for contact in opportunity.contacts.all()] == [contact_id]


def test_a_stage_the_org_no_longer_has_fails_as_a_settings_problem(pipeline, emulator, seat):
    seat(SAM)
    pipeline.pipeline_stage = "Qualified"
    pipeline.save()

    run = run_cycle()

    assert run.status == RunStatus.FAILED
    assert "The pipeline stage in the sync settings is “Qualified”" in run.error
    assert "(Pipeline)" in run.hint
