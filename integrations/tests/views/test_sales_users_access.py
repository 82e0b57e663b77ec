"""Cross-user access on every sales users' page, with real seats: a member reads what they own
here or what their seat's Salesforce user owns in Salesforce; staff read everything; anyone
else's record is 404 (home, each kind's history, unresolved list, match page and CSV)."""

import csv
import io

import pytest
from django.urls import reverse

from integrations.models import Seat, SeatRole
from tracking.tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    DocumentFactory,
    LinkFactory,
    OpportunityFactory,
    RoomFactory,
    VisitFactory,
)
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db

SAM, RITA = "005000000000002AAA", "005000000000003AAA"
SINCE = "2026-05-02T08:00:00Z"


@pytest.fixture
def sam(django_user_model):
    user = django_user_model.objects.create_user("sam", "sam@example.com", "pw-12345678")
    Seat.objects.create(user=user, role=SeatRole.MEMBER, salesforce_user_id=SAM,
                        salesforce_active=True)  # fmt: skip
    return user


@pytest.fixture
def rita(django_user_model):
    user = django_user_model.objects.create_user("rita", "rita@example.com", "pw-12345678")
    Seat.objects.create(user=user, role=SeatRole.MEMBER, salesforce_user_id=RITA,
                        salesforce_active=True)  # fmt: skip
    return user


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "lead", "lead@example.com", "pw-12345678", is_staff=True
    )


def sams_records(sam) -> dict:
    """One record of every kind Sam may read (here or as his Salesforce user's)."""
    link = LinkFactory(owner=sam, unresolved_since=SINCE)
    return {
        "contacts (local owner)": ContactFactory(owner=sam),
        "contacts (Salesforce owner)": ContactFactory(salesforce_owner_id=SAM),
        "companies": CompanyFactory(salesforce_owner_id=SAM),
        "opportunities": OpportunityFactory(owner_salesforce_id=SAM),
        "links": link,
        "visits": VisitFactory(link=link, unresolved_since=SINCE),
        "activities": ActivityFactory(author=sam, unresolved_since=SINCE),
    }


def codes(client, user, urls) -> dict:
    client.force_login(user)
    return {name: client.get(url).status_code for name, url in urls.items()}


def test_every_history_page_is_its_owners_and_staffs_and_404_for_others(client, sam, rita, staff):
    urls = {name: history_url(record) for name, record in sams_records(sam).items()}
    urls["documents"] = history_url(DocumentFactory())
    urls["rooms"] = history_url(RoomFactory())
    owned = {name: 404 if name in ("documents", "rooms") else 200 for name in urls}

    assert codes(client, sam, urls) == owned
    assert codes(client, rita, urls) == dict.fromkeys(urls, 404)
    assert codes(client, staff, urls) == dict.fromkeys(urls, 200)


def test_the_home_page_lists_only_the_members_own_contacts_and_companies(client, sam, rita):
    records = sams_records(sam)
    ContactFactory(salesforce_owner_id=RITA)
    CompanyFactory(salesforce_owner_id=RITA)
    ContactFactory(owner=rita)
    ContactFactory()
    CompanyFactory()

    client.force_login(sam)
    sams = client.get("/")
    client.force_login(rita)
    ritas = client.get("/")

    def listed(response, section):
        return {row.record.pk for row in response.context[section].object_list}

    assert listed(sams, "contacts") == {
        records["contacts (local owner)"].pk, records["contacts (Salesforce owner)"].pk,
    }  # fmt: skip
    assert listed(sams, "companies") == {records["companies"].pk}
    assert sams.context["unresolved"] == 3
    assert records["companies"].pk not in listed(ritas, "companies")
    assert not {records["contacts (local owner)"].pk,
                records["contacts (Salesforce owner)"].pk} & listed(ritas, "contacts")  # fmt: skip
    assert ritas.context["unresolved"] == 0


def test_the_unresolved_list_and_csv_show_a_member_only_their_items(client, sam, rita, staff):
    records = sams_records(sam)
    ritas = ActivityFactory(author=rita, unresolved_since=SINCE, subject="Rita's own")
    mine = {(source, records[source].pk) for source in ("links", "visits", "activities")}

    def listed(user):
        client.force_login(user)
        page = client.get(reverse("activities:unresolved"))
        export = client.get(reverse("activities:unresolved_csv"))
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        return {(item.source, item.record.pk) for item in page.context["items"]}, len(rows) - 1

    assert listed(rita) == ({("activities", ritas.pk)}, 1)
    assert listed(sam) == (mine, 3)
    assert listed(staff) == ({*mine, ("activities", ritas.pk)}, 4)


@pytest.mark.parametrize("source", ["links", "visits", "activities"])
def test_the_match_page_of_another_members_item_is_404(client, sam, rita, staff, source):
    record = sams_records(sam)[source]
    url = reverse("activities:match", args=[source, record.pk])

    client.force_login(rita)
    pick = {"salesforce_object": "Contact", "salesforce_id": "003000000000001AAA"}
    get, post = client.get(url), client.post(url, pick)

    assert (get.status_code, post.status_code) == (404, 404)
    assert codes(client, sam, {"mine": url}) == {"mine": 200}
    assert codes(client, staff, {"staff": url}) == {"staff": 200}


def test_an_admin_seat_reads_every_members_records_and_items(client, sam, rita):
    Seat.objects.filter(user=rita).update(role=SeatRole.ADMIN)
    records = sams_records(sam)
    client.force_login(rita)

    for name, record in records.items():
        assert client.get(history_url(record)).status_code == 200, name
    listing = client.get(reverse("activities:unresolved")).content.decode()
    assert "Owner" in listing
    assert client.get(reverse("activities:unresolved_csv")).status_code == 200


def test_a_member_seat_does_not_read_an_admins_records(client, sam, rita):
    Seat.objects.filter(user=sam).update(role=SeatRole.ADMIN_MEMBER)
    records = sams_records(sam)
    client.force_login(rita)

    for name, record in records.items():
        assert client.get(history_url(record)).status_code == 404, name
