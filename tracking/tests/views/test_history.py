"""Per-record sync history pages: who may read them, what they show, how they scale."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from tracking import hooks
from tracking.choices import Direction, EventStatus, NotSentReason, Operation
from tracking.explanations import moment
from tracking.models import SyncEvent
from tracking.tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    DocumentFactory,
    LinkFactory,
    OpportunityFactory,
    ResponseFactory,
    RoomFactory,
    SyncEventFactory,
    VisitFactory,
)
from tracking.views.history import HISTORY_MODELS, PAGE_SIZE, history_url

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {
    "contacts": ContactFactory,
    "companies": CompanyFactory,
    "opportunities": OpportunityFactory,
    "documents": DocumentFactory,
    "rooms": RoomFactory,
    "links": LinkFactory,
    "visits": VisitFactory,
    "activities": ActivityFactory,
    "responses": ResponseFactory,
}
INSTANCE_URL = "https://acme.my.salesforce.com"


@pytest.fixture
def instance_url(monkeypatch):
    """The Salesforce side has told tracking where the org lives."""
    monkeypatch.setattr(hooks, "_instance_url_provider", lambda: INSTANCE_URL)
    return INSTANCE_URL


@pytest.fixture
def no_instance_url(monkeypatch):
    """Nobody has registered where the org lives (tracking on its own)."""
    monkeypatch.setattr(hooks, "_instance_url_provider", None)


@pytest.fixture
def no_exclusions(monkeypatch):
    """Tracking on its own: no sync judges which records it leaves out, nor tells its facts."""
    monkeypatch.setattr(hooks, "_not_sent_provider", None)
    monkeypatch.setattr(hooks, "_sync_facts_provider", None)


def test_url_is_the_documented_path():
    assert reverse("records:history", args=["contacts", 7]) == "/records/contacts/7/history/"


@pytest.mark.parametrize("kind", list(RECORD_FACTORIES))
def test_every_kind_has_its_documented_path(kind):
    assert reverse("records:history", args=[kind, 7]) == f"/records/{kind}/7/history/"


@pytest.mark.parametrize("kind", list(RECORD_FACTORIES))
def test_history_url_names_the_records_kind(kind):
    record = RECORD_FACTORIES[kind]()
    assert history_url(record) == f"/records/{kind}/{record.pk}/history/"


def test_every_synced_model_has_a_kind_and_a_factory():
    factory_models = {kind: factory._meta.model for kind, factory in RECORD_FACTORIES.items()}
    assert factory_models == HISTORY_MODELS


def test_owner_sees_changes_errors_and_hints(client, django_user_model):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    contact = ContactFactory(owner=owner, salesforce_id="00Q000000000001AAA")
    SyncEventFactory(record=contact, changes=[{"field": "Title", "old": "Dev", "new": "CTO"}])
    SyncEventFactory(
        record=contact, status=EventStatus.ERROR, operation=Operation.ERROR,
        error_code="REQUIRED_FIELD_MISSING", error_message="Required fields are missing",
        hint="Set a company or choose record type Contact.",
    )  # fmt: skip
    client.force_login(owner)
    html = client.get(history_url(contact)).content.decode()
    assert "Title" in html
    assert "Dev" in html
    assert "CTO" in html
    assert "(empty)" not in html
    assert "REQUIRED_FIELD_MISSING" in html
    assert "Set a company or choose record type Contact." in html
    assert "00Q000000000001AAA" in html


def test_blank_values_show_as_empty(admin_client):
    contact = ContactFactory()
    SyncEventFactory(record=contact, changes=[{"field": "title", "old": "", "new": "CTO"}])
    html = admin_client.get(history_url(contact)).content.decode()
    assert "(empty)</span> → CTO" in html


def test_other_members_get_404(client, django_user_model):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    other = django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")
    contact = ContactFactory(owner=owner)
    client.force_login(other)
    assert client.get(history_url(contact)).status_code == 404


@pytest.mark.parametrize("kind", ["companies", "opportunities", "documents", "rooms"])
def test_records_without_an_owner_are_for_staff_only(client, django_user_model, kind):
    member = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    record = RECORD_FACTORIES[kind]()
    client.force_login(member)
    assert client.get(history_url(record)).status_code == 404


def owned(kind: str, owner):
    """A record of `kind` whose owner is `owner`: a link's, its visit's, an activity's author."""
    if kind == "activities":
        return ActivityFactory(author=owner)
    link = LinkFactory(owner=owner)
    return link if kind == "links" else VisitFactory(link=link)


@pytest.mark.parametrize("kind", ["links", "visits", "activities"])
def test_a_links_owner_and_an_activitys_author_read_its_history_others_do_not(
    client, django_user_model, kind
):
    owner = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    other = django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")
    record = owned(kind, owner)
    unowned = owned(kind, None)

    client.force_login(owner)
    mine = client.get(history_url(record))
    staff_only = client.get(history_url(unowned))
    client.force_login(other)
    theirs = client.get(history_url(record))

    assert (mine.status_code, staff_only.status_code, theirs.status_code) == (200, 404, 404)


def test_anonymous_users_are_sent_to_sign_in(client):
    contact = ContactFactory()
    response = client.get(history_url(contact))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_can_read_any_history(admin_client):
    contact = ContactFactory()
    SyncEventFactory(record=contact, direction=Direction.INBOUND)
    response = admin_client.get(history_url(contact))
    assert response.status_code == 200
    assert "From Salesforce" in response.content.decode()


@pytest.mark.parametrize("kind", list(RECORD_FACTORIES))
def test_every_kind_shows_its_own_events(admin_client, kind):
    # given: an event of this record and one of another record of the same kind
    record = RECORD_FACTORIES[kind]()
    SyncEventFactory(record=record, changes=[{"field": "Name", "old": "Old", "new": "Mine"}])
    SyncEventFactory(
        record=RECORD_FACTORIES[kind](), changes=[{"field": "Name", "old": "Old", "new": "Other"}]
    )
    # when
    response = admin_client.get(reverse("records:history", args=[kind, record.pk]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Sync history: {escape(record)}" in html
    assert "Mine" in html
    assert "Other" not in html
    assert "1 changes" in html


def test_unknown_kinds_and_missing_records_are_404(admin_client):
    contact = ContactFactory()
    unknown_kind = reverse("records:history", args=["apikeys", contact.pk])
    missing_record = reverse("records:history", args=["contacts", contact.pk + 1])
    assert admin_client.get(unknown_kind).status_code == 404
    assert admin_client.get(missing_record).status_code == 404


def test_pages_go_from_newest_to_older(admin_client):
    contact = ContactFactory()
    for i in range(PAGE_SIZE + 1):
        SyncEventFactory(record=contact, changes=[{"field": "Title", "old": i, "new": f"v{i}"}])

    first = admin_client.get(history_url(contact)).content.decode()
    second = admin_client.get(history_url(contact) + "?page=2").content.decode()

    assert f"v{PAGE_SIZE}<" in first
    assert "v0<" not in first
    assert 'href="?page=2">older →' in first
    assert f"Page 1 of 2 ({PAGE_SIZE + 1} changes)" in first
    assert "v0<" in second
    assert 'href="?page=1">← newer' in second


def test_salesforce_ids_link_to_the_org(admin_client, instance_url):
    contact = ContactFactory(salesforce_id="00Q000000000001AAA", salesforce_object="Lead")
    SyncEventFactory(record=contact, salesforce_id="00Q000000000001AAA")
    html = admin_client.get(history_url(contact)).content.decode()
    assert html.count(f'href="{instance_url}/00Q000000000001AAA"') == 2


def test_salesforce_ids_are_plain_text_without_an_org(admin_client, no_instance_url):
    contact = ContactFactory(salesforce_id="00Q000000000001AAA")
    SyncEventFactory(record=contact, salesforce_id="00Q000000000001AAA")
    html = admin_client.get(history_url(contact)).content.decode()
    assert "00Q000000000001AAA" in html
    assert 'href="/00Q' not in html


def test_100000_rows_render_with_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    contact = ContactFactory()
    content_type = ContentType.objects.get_for_model(contact)
    SyncEvent.objects.bulk_create(
        [
            SyncEvent(
                content_type=content_type, object_id=contact.pk, direction=Direction.OUTBOUND,
                operation=Operation.UPDATE, changes=[{"field": "Title", "old": i, "new": i + 1}],
            )
            for i in range(100_000)
        ],
        batch_size=5_000,
    )  # fmt: skip
    # The sync state reads the sync's settings row: 4 queries when the first read creates it.
    with django_assert_max_num_queries(16):
        first = admin_client.get(history_url(contact))
    with django_assert_max_num_queries(13):
        last = admin_client.get(history_url(contact) + "?page=2000")
    assert "100000 changes" in first.content.decode()
    assert "Page 2000 of 2000" in last.content.decode()


@pytest.fixture
def leaves_out(monkeypatch):
    """The sync leaves every contact out: outside the inclusion list."""
    monkeypatch.setattr(
        hooks,
        "_not_sent_provider",
        lambda model, pks: {pk: NotSentReason.OUTSIDE_INCLUSION_LIST for pk in pks},
    )


def state_block(html: str) -> str:
    """The sentence at the top of the page, whitespace folded."""
    start = html.index('<p class="sync-state')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_the_sentence_comes_first_above_the_link_and_the_changes(admin_client, instance_url):
    contact = ContactFactory(salesforce_id="00Q000000000001AAA", salesforce_object="Lead")
    SyncEventFactory(record=contact, changes=[{"field": "title", "old": "Dev", "new": "CTO"}])

    html = admin_client.get(history_url(contact)).content.decode()

    sentence, link, table = (
        html.index('<p class="sync-state'), html.index('<p class="sync-link'), html.index("<table")
    )  # fmt: skip
    assert html.index("<h1>") < sentence < link < table
    assert f'Salesforce Lead: <a href="{INSTANCE_URL}/00Q000000000001AAA"' in " ".join(
        html[link:table].split()
    )


def test_a_contact_left_out_says_it_is_not_sent_and_why(admin_client, leaves_out):
    contact = ContactFactory()

    block = state_block(admin_client.get(history_url(contact)).content.decode())

    assert block.endswith(">Not sent: outside the inclusion list.")
    assert "Stopped" not in block


def test_a_linked_contact_that_falls_out_stopped_syncing(admin_client, leaves_out):
    contact = ContactFactory(salesforce_id="00Q000000000001AAA", salesforce_object="Lead")

    html = admin_client.get(history_url(contact)).content.decode()

    assert state_block(html).endswith(
        ">Stopped syncing: outside the inclusion list; changes made here no longer go to "
        "Salesforce."
    )
    assert "Salesforce Lead:" in html


@pytest.mark.usefixtures("no_exclusions")
def test_a_failed_send_says_what_happened_and_what_to_do_first(admin_client):
    contact = ContactFactory(local_modified_at=None)
    event = SyncEventFactory(
        record=contact, operation=Operation.ERROR, status=EventStatus.ERROR,
        error_code="REQUIRED_FIELD_MISSING", hint="Salesforce needs a last name: set one.",
    )  # fmt: skip

    block = state_block(admin_client.get(history_url(contact)).content.decode())

    assert block.endswith(
        f">Failed to send on {moment(event.created_at)} (REQUIRED_FIELD_MISSING): Salesforce "
        "needs a last name: set one."
    )


@pytest.mark.usefixtures("no_exclusions")
@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({}, "Waiting: not in Salesforce yet; the next sync run creates it in Salesforce."),
        (
            {"salesforce_id": "00Q000000000001AAA"},
            "Waiting: the next sync run sends the changes.",
        ),
        (
            {"deleted_in_salesforce": True},
            "Deleted in Salesforce; kept here, unlinked, and no longer synced.",
        ),
    ],
)
def test_waiting_and_deleted_contacts_say_so(admin_client, fields, says):
    contact = ContactFactory(**fields)

    assert state_block(admin_client.get(history_url(contact)).content.decode()).endswith(says)


@pytest.mark.usefixtures("no_exclusions")
def test_a_mirrored_opportunity_says_it_is_only_read(admin_client):
    opportunity = OpportunityFactory(salesforce_synced_at=None)

    block = state_block(admin_client.get(history_url(opportunity)).content.decode())

    assert block.endswith(
        f">Read from Salesforce Opportunity {opportunity.salesforce_id}; it is only read from "
        "Salesforce, never sent."
    )


def test_changes_name_the_local_and_salesforce_field_and_old_rows_their_one_name(admin_client):
    contact = ContactFactory()
    both = {"field": "first_name", "salesforce_field": "FirstName", "old": "A", "new": "B"}
    SyncEventFactory(record=contact, direction=Direction.INBOUND, changes=[both])
    SyncEventFactory(record=contact, direction=Direction.OUTBOUND, changes=[both])
    SyncEventFactory(record=contact, changes=[{"field": "LastName", "old": "C", "new": "D"}])
    SyncEventFactory(record=contact, changes=[{"field": "properties.plan", "old": 1, "new": 2}])

    html = admin_client.get(history_url(contact)).content.decode()

    assert html.count('First name <span class="muted">(FirstName)</span>: ') == 2
    assert "<div>LastName: " in html
    assert "<div>properties.plan: " in html


@pytest.mark.parametrize("kind", ["documents", "rooms"])
def test_documents_and_rooms_go_out_inside_their_links_tasks(admin_client, kind):
    record = RECORD_FACTORIES[kind]()

    html = admin_client.get(history_url(record)).content.decode()

    assert "Not sent: written to Salesforce as part of its links&#x27; Tasks." in html
    assert "Waiting to be sent" not in html


@pytest.mark.parametrize("kind", ["links", "visits", "activities"])
def test_tracking_records_say_why_they_are_not_sent(admin_client, kind):
    record = RECORD_FACTORIES[kind]()

    html = admin_client.get(history_url(record)).content.decode()

    assert "Not sent: sync with Salesforce is off." in html


SALESFORCE_OWNED = {
    "contacts": lambda owner_id: ContactFactory(salesforce_owner_id=owner_id),
    "companies": lambda owner_id: CompanyFactory(salesforce_owner_id=owner_id),
    "opportunities": lambda owner_id: OpportunityFactory(owner_salesforce_id=owner_id),
}


@pytest.mark.parametrize("kind", list(SALESFORCE_OWNED))
def test_the_seat_holder_of_the_salesforce_owner_reads_its_history_others_do_not(
    client, django_user_model, monkeypatch, kind
):
    # given: the rep's seat is Salesforce user 005…2; the other rep's seat is 005…3
    rep = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    other = django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")
    seats = {rep.pk: "005000000000002AAA", other.pk: "005000000000003AAA"}
    monkeypatch.setattr(hooks, "_salesforce_user_id_provider", lambda user: seats[user.pk])
    record = SALESFORCE_OWNED[kind]("005000000000002AAA")

    # when
    client.force_login(rep)
    mine = client.get(history_url(record))
    client.force_login(other)
    theirs = client.get(history_url(record))

    # then
    assert (mine.status_code, theirs.status_code) == (200, 404)


@pytest.mark.parametrize("kind", list(SALESFORCE_OWNED))
def test_a_member_without_a_salesforce_user_cannot_read_records_without_an_owner(
    client, django_user_model, monkeypatch, kind
):
    member = django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")
    monkeypatch.setattr(hooks, "_salesforce_user_id_provider", lambda user: "")
    record = SALESFORCE_OWNED[kind]("")
    client.force_login(member)
    assert client.get(history_url(record)).status_code == 404
