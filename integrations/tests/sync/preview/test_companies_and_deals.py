"""The preview with account and opportunity sync on: companies matched, created and pulled,
opportunities mirrored and a Closed Won deal's contact made a customer, as the cycle does."""

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import SyncPreview
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import LifecycleStage, SalesforceObject
from tracking.models import Company, Contact, Opportunity
from tracking.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_companies_and_deals_are_previewed_as_the_cycle_does_them(
    sync_settings, emulator, make_contact
):
    # given: a synced buyer; then an Account to pull, companies to match and create, a won deal
    sync_settings.account_sync = sync_settings.opportunity_sync = True
    sync_settings.new_record_type = SalesforceObject.CONTACT
    sync_settings.save()
    buyer = make_contact("buyer@example.com", lifecycle_stage=LifecycleStage.SQL)
    run_cycle()
    buyer.refresh_from_db()
    emulator.store.insert("Account", {"Name": "Pulled Inc", "Website": "https://pulled.example"})
    emulator.store.insert("Account", {"Name": "Matched GmbH"})
    now = timezone.now()
    CompanyFactory(name="Matched GmbH", domain="", local_modified_at=now)
    CompanyFactory(name="New Ltd", domain="new.example", local_modified_at=now)
    won = {"Name": "Deal", "StageName": "Closed Won", "CloseDate": now.date(), "Amount": 900}
    deal = emulator.store.insert("Opportunity", won)
    emulator.store.insert(
        "OpportunityContactRole", {"OpportunityId": deal, "ContactId": buyer.salesforce_id}
    )
    before = (list(Company.objects.values()), list(Contact.objects.values()))
    org_before = emulator.store.export_state()
    # when
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    # then
    assert preview.status == RunStatus.SUCCEEDED, preview.error
    assert (list(Company.objects.values()), list(Contact.objects.values())) == before
    assert not Opportunity.objects.exists()
    assert emulator.store.export_state() == org_before
    run = run_cycle()
    assert run.counts == preview.counts
    assert preview.counts == {"Account": {"created": 2, "matched": 1, "updated": 1},
                              "Opportunity": {"created": 1},
                              "Contact": {"updated": 1}}  # fmt: skip
    assert preview.api_calls <= run.api_calls
    buyer.refresh_from_db()
    assert buyer.lifecycle_stage == LifecycleStage.CUSTOMER
