"""The demo's sample activities: posted for the seeded org's Contacts, then written to
Salesforce by a normal cycle (the seller holds a seat); one visitor matches nothing and
waits."""

import pytest

from integrations.models import Seat
from integrations.services.demo_activities import demo_activities_create
from integrations.tests.sync.activities.conftest import SAM_ID
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Activity, Link, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_samples_sync_like_real_posts(sync_settings, emulator, sf_client):
    emulator.seed_sample_data()
    sync_settings.task_sync = sync_settings.write_back = True
    sync_settings.save()

    posted = demo_activities_create(client=sf_client)
    assert demo_activities_create(client=sf_client) == posted  # the same records again
    assert (Link.objects.count(), Visit.objects.count(), Activity.objects.count()) == (4, 9, 4)

    run_cycle()

    visits = Visit.objects.exclude(salesforce_id="")
    assert visits.count() == 8
    assert Visit.objects.get(external_id="demo-visit-unknown").unresolved_since is not None
    assert Activity.objects.exclude(salesforce_id="").count() == 4  # the seller has a seat
    assert Seat.objects.get().salesforce_user_id == SAM_ID
    assert len(emulator.store.all("ContentNote")) == 1
