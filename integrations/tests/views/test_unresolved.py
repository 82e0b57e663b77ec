"""The unresolved activities report: who sees what, its filters, CSV and pages, and the manual
match of an item to a Contact, a Lead or an Account of the (emulated) org."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from integrations.unresolved import items
from integrations.views.unresolved import PAGE_SIZE
from tracking.choices import ActivityKind, Direction, LinkKind, MatchMethod, Operation
from tracking.models import Activity, Link, SyncEvent, Visit
from tracking.signals import activity_records_changed
from tracking.tests.factories import ActivityFactory, LinkFactory, RoomFactory, VisitFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db

LIST = "/activities/unresolved/"
CSV = "/activities/unresolved/csv/"
SINCE = dt.datetime(2026, 5, 2, 8, 0, tzinfo=dt.UTC)


def match_url(record) -> str:
    source = {Link: "links", Visit: "visits", Activity: "activities"}[type(record)]
    return reverse("activities:match", args=[source, record.pk])


def listed(response) -> set[tuple[str, int]]:
    """The (kind, pk) of every row the list shows."""
    return {(item.source, item.record.pk) for item in response.context["items"]}


def key(record) -> tuple[str, int]:
    return {Link: "links", Visit: "visits", Activity: "activities"}[type(record)], record.pk


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def rep(django_user_model):
    return django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")


@pytest.fixture
def other_rep(django_user_model):
    return django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "lead", "lead@example.com", "pw-12345678", is_staff=True
    )


def owned_items(owner, since=SINCE):
    """One unresolved item of each model belonging to `owner`."""
    link = LinkFactory(owner=owner, unresolved_since=since)
    return [
        link,
        VisitFactory(link=LinkFactory(owner=owner), unresolved_since=since),
        ActivityFactory(author=owner, unresolved_since=since),
    ]


@pytest.fixture
def changed_records():
    """The (model, pks) of every `activity_records_changed` sent during the test."""
    received = []

    def receiver(sender, pks, **kwargs):
        received.append((sender, list(pks)))

    activity_records_changed.connect(receiver)
    yield received
    activity_records_changed.disconnect(receiver)


# -- who sees what ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    visit = VisitFactory(unresolved_since=SINCE)
    for url in (LIST, CSV, match_url(visit)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_members_see_their_own_links_visits_and_activities_only(client, rep, other_rep):
    mine = owned_items(rep)
    theirs = owned_items(other_rep)
    ownerless = owned_items(None)

    client.force_login(rep)
    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == {key(record) for record in mine}
    assert not listed(response) & {key(record) for record in theirs + ownerless}


def test_a_members_owner_filter_is_ignored(client, rep, other_rep):
    mine = owned_items(rep)
    owned_items(other_rep)
    client.force_login(rep)

    response = client.get(LIST, {"owner": other_rep.pk})

    assert listed(response) == {key(record) for record in mine}
    assert "owner" not in response.context["form"].fields


def test_staff_see_everyones_items_and_filter_by_owner(client, staff, rep, other_rep):
    mine = owned_items(rep)
    theirs = owned_items(other_rep)
    ownerless = owned_items(None)
    client.force_login(staff)

    everything = client.get(LIST)
    reps = client.get(LIST, {"owner": rep.pk})

    assert listed(everything) == {key(record) for record in mine + theirs + ownerless}
    assert listed(reps) == {key(record) for record in mine}


def test_matched_records_are_not_listed(client, staff):
    VisitFactory(unresolved_since=None)
    LinkFactory(unresolved_since=None)
    ActivityFactory(unresolved_since=None)
    client.force_login(staff)

    response = client.get(LIST)

    assert listed(response) == set()
    assert "Nothing unresolved" in response.content.decode()


def test_rows_say_kind_who_what_owner_since_and_link_the_history(client, rep):
    link = LinkFactory(owner=rep, name="Pricing.pdf")
    visit = VisitFactory(
        link=link, visitor_email="ada@acme.example", visitor_name="Ada Lovelace",
        company="Acme Labs", unresolved_since=SINCE,
    )  # fmt: skip
    client.force_login(rep)

    html = client.get(LIST).content.decode()

    shown = [
        *("Visit", "ada@acme.example", "Ada Lovelace", "Acme Labs", "Pricing.pdf"),
        *("rep@example.com", "2026-05-02 08:00", history_url(visit), match_url(visit)),
    ]
    assert [text for text in shown if text not in html] == []


def test_a_member_asking_for_another_members_match_page_gets_404(client, rep, other_rep):
    theirs = owned_items(other_rep) + owned_items(None)
    client.force_login(rep)

    statuses = {client.get(match_url(record)).status_code for record in theirs}
    posted = client.post(match_url(theirs[0]), {"salesforce_object": "Account",
                                                "salesforce_id": "001000000000001AAA"})  # fmt: skip

    assert statuses == {404}
    assert posted.status_code == 404


def test_an_unknown_kind_is_404(client, staff):
    client.force_login(staff)
    assert client.get("/activities/unresolved/contacts/1/match/").status_code == 404


# -- filters ------------------------------------------------------------------------------


@pytest.fixture
def one_of_each_kind():
    """kind filter value → an unresolved record of that kind."""
    room_link = LinkFactory(kind=LinkKind.ROOM, document=None, room=RoomFactory())
    records = {
        "visit": VisitFactory(),
        "document_link": LinkFactory(),
        "room_link": room_link,
        **{kind.value: ActivityFactory(kind=kind) for kind in ActivityKind},
    }
    for record in records.values():
        type(record).objects.filter(pk=record.pk).update(unresolved_since=SINCE)
    return records


@pytest.mark.parametrize(
    ("kind", "label"),
    [("visit", "Visit"), ("document_link", "Document link"), ("room_link", "Room link"),
     ("inmail", "InMail"), ("message", "Message"), ("note", "Note"), ("call", "Call")],
)  # fmt: skip
def test_the_kind_filter_lists_that_kind_only(client, staff, one_of_each_kind, kind, label):
    client.force_login(staff)

    response = client.get(LIST, {"kind": kind})

    assert listed(response) == {key(one_of_each_kind[kind])}
    assert [item.kind for item in response.context["items"]] == [label]


def test_the_date_range_applies_to_unresolved_since_or_to_when_it_happened(client, staff):
    utc = dt.UTC
    early = VisitFactory(
        started_at=dt.datetime(2026, 3, 1, 12, tzinfo=utc),
        unresolved_since=dt.datetime(2026, 4, 30, 23, 59, tzinfo=utc),
    )
    late = ActivityFactory(occurred_at=dt.datetime(2026, 4, 20, tzinfo=utc),
                           unresolved_since=dt.datetime(2026, 5, 1, 0, 0, tzinfo=utc))  # fmt: skip
    client.force_login(staff)

    may = client.get(LIST, {"date_field": "since", "date_from": "2026-05-01"})
    april = client.get(LIST, {"date_field": "since", "date_to": "2026-04-30"})
    occurred_in_april = client.get(
        LIST, {"date_field": "occurred", "date_from": "2026-04-01", "date_to": "2026-04-30"}
    )

    assert listed(may) == {key(late)}
    assert listed(april) == {key(early)}
    assert listed(occurred_in_april) == {key(late)}


@pytest.mark.parametrize(
    "query",
    [{"date_from": "2026-05-02", "date_to": "2026-05-01"}, {"date_from": "yesterday"},
     {"kind": "fax"}, {"date_field": "modified"}],
)  # fmt: skip
def test_bad_filters_are_a_400_saying_what_is_wrong(client, staff, query):
    client.force_login(staff)

    response = client.get(LIST, query)
    exported = client.get(CSV, query)

    assert (response.status_code, exported.status_code) == (400, 400)
    assert 'role="alert"' in response.content.decode()


# -- CSV ----------------------------------------------------------------------------------


def test_csv_has_the_filtered_rows_the_viewer_may_see(client, rep, other_rep):
    link = LinkFactory(owner=rep, name="Pricing.pdf", account_name="Acme, Inc.")
    visit = VisitFactory(link=link, visitor_email="ada@acme.example", visitor_name="Ada",
                         company="Acme", unresolved_since=SINCE)  # fmt: skip
    ActivityFactory(author=rep, kind=ActivityKind.CALL, unresolved_since=SINCE)
    owned_items(other_rep)
    client.force_login(rep)

    response = client.get(CSV, {"kind": "visit"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_of(response)
    assert header[:6] == ["Kind", "Email", "Name", "Company or account", "What", "Owner"]
    assert rows == [[
        "Visit", "ada@acme.example", "Ada", "Acme", "Pricing.pdf", "rep@example.com",
        "2026-05-02 08:00:00", "2026-05-01 09:30:00", f"http://testserver{history_url(visit)}",
    ]]  # fmt: skip


def test_csv_of_staff_has_everyones_items_in_the_lists_order(client, staff, rep, other_rep):
    records = owned_items(rep) + owned_items(other_rep, since=SINCE + dt.timedelta(hours=1))
    client.force_login(staff)

    rows = csv_of(client.get(CSV))[1:]
    page = client.get(LIST)

    assert len(rows) == len(records)
    assert [row[-1] for row in rows] == [
        f"http://testserver{item.history_url}" for item in page.context["items"]
    ]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted(client, rep):
    ActivityFactory(author=rep, contact_name="=HYPERLINK(\"http://evil\")", subject="+1 call",
                    unresolved_since=SINCE)  # fmt: skip
    client.force_login(rep)

    (row,) = csv_of(client.get(CSV))[1:]

    assert row[2] == '\'=HYPERLINK("http://evil")'
    assert row[4] == "'+1 call"


def test_csv_reads_a_long_list_in_chunks_with_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(items, "CHUNK_SIZE", 40)
    for _ in range(30):
        owned_items(None)
    client.force_login(staff)

    # session, user, the keys; then one query per model for each chunk of 40 (3 chunks)
    with django_assert_max_num_queries(3 + 3 * 3):
        rows = csv_of(client.get(CSV))

    assert len(rows) == 1 + 90
    assert len({row[-1] for row in rows[1:]}) == 90


# -- pages --------------------------------------------------------------------------------


def test_the_list_is_paged(client, staff):
    for _ in range(PAGE_SIZE // 3 + 1):
        owned_items(None)
    client.force_login(staff)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["items"]) == PAGE_SIZE
    assert len(second.context["items"]) == 3 * (PAGE_SIZE // 3 + 1) - PAGE_SIZE
    assert not listed(first) & listed(second)
    assert "page=2" in first.content.decode()


def test_a_page_costs_the_same_queries_for_few_or_many_items(
    client, staff, rep, django_assert_max_num_queries
):
    owned_items(rep)
    client.force_login(staff)
    with django_assert_max_num_queries(9) as few:
        client.get(LIST)
    for _ in range(40):
        owned_items(rep)
        owned_items(None)

    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)

    assert len(response.context["items"]) == PAGE_SIZE


def test_the_page_keeps_the_filters_in_its_page_and_csv_links(client, staff):
    for _ in range(PAGE_SIZE + 1):
        VisitFactory(unresolved_since=SINCE)
    client.force_login(staff)

    html = client.get(LIST, {"kind": "visit"}).content.decode()

    assert "?kind=visit&amp;page=2" in html
    assert f'href="{CSV}?kind=visit"' in html


# -- where it is linked from --------------------------------------------------------------


def test_the_console_and_sync_health_link_the_report_with_the_count(admin_client):
    owned_items(None)

    index = admin_client.get("/admin/").content.decode()
    health = admin_client.get(reverse("admin:tracking_syncevent_health")).content.decode()

    for html in (index, health):
        assert "3 unresolved activities" in html
        assert f'href="{LIST}"' in html


def test_the_console_says_when_nothing_is_unresolved(admin_client):
    ActivityFactory(unresolved_since=SINCE)
    VisitFactory(unresolved_since=None)

    one = admin_client.get("/admin/").content.decode()
    Activity.objects.update(unresolved_since=None)
    none = admin_client.get("/admin/").content.decode()

    assert "1 unresolved activity</strong>" in one
    assert "No unresolved activities" in none


def test_every_pages_header_links_the_report(client, rep):
    link = LinkFactory(owner=rep)
    client.force_login(rep)
    assert f'href="{LIST}"' in client.get(history_url(link)).content.decode()


# -- manual match ---------------------------------------------------------------------------


@pytest.fixture
def org(connection, emulator):
    """Records of the emulated org: an Account, its Contact, a Lead and a converted Lead."""
    store = emulator.store
    account = store.insert("Account", {"Name": "Acme Labs"})
    contact = store.insert(
        "Contact",
        {
            "FirstName": "Ada",
            "LastName": "Lovelace",
            "Email": "ada@acme.example",
            "AccountId": account,
        },
    )
    lead = store.insert(
        "Lead",
        {
            "FirstName": "Grace",
            "LastName": "Hopper",
            "Email": "grace@navy.example",
            "Company": "Navy",
        },
    )
    converted = store.insert("Lead", {"LastName": "Byron", "Email": "byron@acme.example",
                                      "Company": "Acme Labs"})  # fmt: skip
    store.convert_lead(converted, account_id=account)
    return {"account": account, "contact": contact, "lead": lead, "converted": converted}


def search(client, record, term):
    return client.get(match_url(record), {"q": term})


def candidates(response) -> list[tuple[str, str]]:
    return [(c.salesforce_object, c.salesforce_id) for c in response.context["candidates"]]


def test_the_match_page_suggests_the_visitors_email(client, rep):
    visit = VisitFactory(link=LinkFactory(owner=rep), visitor_email="ada@acme.example",
                         unresolved_since=SINCE)  # fmt: skip
    client.force_login(rep)

    response = client.get(match_url(visit))

    assert response.status_code == 200
    assert 'value="ada@acme.example"' in response.content.decode()
    assert "candidates" not in response.context  # nothing asked of Salesforce yet


def test_search_finds_contacts_and_leads_by_email_or_name_and_accounts_by_name(
    client, rep, org, emulator
):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)
    emulator.reset_stats()

    by_email = search(client, visit, "ADA@acme.example")
    calls = emulator.api_calls
    by_name = search(client, visit, "acme")
    lead = search(client, visit, "hopp")
    converted = search(client, visit, "byron@acme.example")

    assert calls == 1  # one Composite call for the three objects
    assert candidates(by_email) == [("Contact", org["contact"])]
    assert candidates(by_name) == [("Account", org["account"])]
    assert candidates(lead) == [("Lead", org["lead"])]
    assert {sobject for sobject, _ in candidates(converted)} == {"Contact"}  # not the Lead
    assert "Acme Labs" in by_email.content.decode()  # the Contact's Account


def test_a_links_search_offers_accounts_only(client, rep, org):
    link = LinkFactory(owner=rep, unresolved_since=SINCE)
    client.force_login(rep)

    assert search(client, link, "a").status_code == 400  # one letter is too short
    assert candidates(search(client, link, "ac")) == [("Account", org["account"])]
    assert candidates(search(client, link, "Ada")) == []


def test_search_terms_are_escaped_so_they_match_as_typed(client, rep, org, emulator):
    emulator.store.insert("Account", {"Name": "O'Brien 100% Co"})
    activity = ActivityFactory(author=rep, unresolved_since=SINCE)
    client.force_login(rep)

    quote = search(client, activity, "O'Brien")
    percent = search(client, activity, "0%")
    percents = search(client, activity, "%%")
    underscore = search(client, activity, "_c")

    assert [c.name for c in quote.context["candidates"]] == ["O'Brien 100% Co"]
    assert [c.name for c in percent.context["candidates"]] == ["O'Brien 100% Co"]
    assert percents.context["candidates"] == []  # unescaped, %% would match every name
    assert underscore.context["candidates"] == []  # unescaped, _c would match "Acme"
    assert "Nothing in Salesforce matches" in underscore.content.decode()


def test_search_term_too_long_is_a_400(client, rep):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)

    response = search(client, visit, "x" * 200)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def pick(client, record, sobject, salesforce_id, **extra):
    return client.post(
        match_url(record), {"salesforce_object": sobject, "salesforce_id": salesforce_id, **extra}
    )


def match_events(record):
    return list(
        SyncEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
    )


def test_matching_a_visit_to_a_contact_links_it_and_queues_it(
    client, rep, org, changed_records, django_capture_on_commit_callbacks
):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE,
                         salesforce_what_id="001000000000009AAA")  # fmt: skip
    client.force_login(rep)

    with django_capture_on_commit_callbacks(execute=True):
        response = pick(client, visit, "Contact", org["contact"])

    visit.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert (visit.salesforce_who_id, visit.salesforce_what_id) == (org["contact"], "")
    assert visit.matched_by == MatchMethod.MANUAL
    assert visit.unresolved_since is None
    assert visit.local_modified_at is not None
    assert changed_records == [(Visit, [visit.pk])]
    (event,) = match_events(visit)
    assert (event.direction, event.operation, event.status) == (
        Direction.OUTBOUND, Operation.MATCH, "ok",
    )  # fmt: skip
    assert (event.salesforce_object, event.salesforce_id) == ("Contact", org["contact"])
    assert event.error_message == f"Matched by rep@example.com to Contact {org['contact']}"
    assert {"field": "salesforce_who_id", "old": "", "new": org["contact"]} in event.changes
    (message,) = messages_of(response)
    assert "will be written to Salesforce within seconds" in message


def test_matching_to_a_lead_leaves_no_account_on_it(client, rep, org):
    activity = ActivityFactory(author=rep, unresolved_since=SINCE,
                               salesforce_what_id=org["account"])  # fmt: skip
    client.force_login(rep)

    pick(client, activity, "Lead", org["lead"])

    activity.refresh_from_db()
    assert (activity.salesforce_who_id, activity.salesforce_what_id) == (org["lead"], "")
    assert activity.matched_by == MatchMethod.MANUAL


def test_matching_a_link_to_an_account_by_its_15_character_id(client, staff, org):
    link = LinkFactory(owner=None, unresolved_since=SINCE)
    client.force_login(staff)

    response = pick(client, link, "Account", org["account"][:15])

    link.refresh_from_db()
    assert response.status_code == 302
    assert (link.salesforce_who_id, link.salesforce_what_id) == ("", org["account"])
    assert link.unresolved_since is None


@pytest.mark.parametrize(
    ("sobject", "which", "says"),
    [
        ("Contact", "account", "is not a Contact in Salesforce"),  # another object's id
        ("Lead", "contact", "is not an unconverted Lead in Salesforce"),
        ("Lead", "converted", "is not an unconverted Lead in Salesforce"),
        ("Account", "0010000000000ZZ", "is not an Account in Salesforce"),  # nobody's id
        ("Contact", "not-an-id", "is not a Salesforce id"),
    ],
)
def test_a_wrong_or_foreign_id_is_refused_and_nothing_changes(
    client, rep, org, changed_records, django_capture_on_commit_callbacks, sobject, which, says
):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)

    with django_capture_on_commit_callbacks(execute=True):
        response = pick(client, visit, sobject, org.get(which, which), q="ada")

    visit.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"{match_url(visit)}?q=ada"
    assert any(says in message for message in messages_of(response))
    assert (visit.salesforce_who_id, visit.unresolved_since) == ("", SINCE)
    assert match_events(visit) == []
    assert changed_records == []


def test_a_link_cannot_be_matched_to_a_person(client, rep, org):
    link = LinkFactory(owner=rep, unresolved_since=SINCE)
    client.force_login(rep)

    response = pick(client, link, "Contact", org["contact"])

    link.refresh_from_db()
    assert link.unresolved_since == SINCE
    assert any("can be matched to: Account" in message for message in messages_of(response))


@pytest.mark.parametrize(
    "data", [{}, {"salesforce_object": "Opportunity", "salesforce_id": "006000000000001AAA"},
             {"salesforce_object": "Contact", "salesforce_id": "0" * 40}],
)  # fmt: skip
def test_an_incomplete_pick_is_a_400(client, rep, data):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)

    response = client.post(match_url(visit), data)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_record_no_longer_unresolved_goes_back_to_the_list(client, rep, org):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=None,
                         salesforce_who_id=org["lead"])  # fmt: skip
    client.force_login(rep)

    shown = client.get(match_url(visit))
    picked = pick(client, visit, "Contact", org["contact"])

    visit.refresh_from_db()
    assert (shown.status_code, shown["Location"]) == (302, LIST)
    assert (picked.status_code, picked["Location"]) == (302, LIST)
    assert any("no longer unresolved" in message for message in messages_of(picked))
    assert visit.salesforce_who_id == org["lead"]


def test_without_a_connection_search_and_pick_say_so_with_the_hint(client, rep):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)

    searched = search(client, visit, "ada")
    picked = pick(client, visit, "Contact", "003000000000001AAA")

    assert searched.status_code == 200
    assert "No Salesforce org is connected." in searched.context["search_error"]
    assert "Connect" in searched.context["search_error"]  # the hint says what to do
    assert picked.status_code == 302
    assert any("No Salesforce org is connected." in text for text in messages_of(picked))


def test_an_exhausted_api_limit_is_a_message_not_an_error_page(client, rep, org, emulator):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    client.force_login(rep)
    emulator.faults.inject("limit_exceeded", times=5)

    response = search(client, visit, "ada")

    assert response.status_code == 200
    assert "daily API requests" in response.context["search_error"]


def test_an_expired_login_that_cannot_be_renewed_is_a_message_with_the_hint(
    client, rep, org, connection, emulator
):
    visit = VisitFactory(link=LinkFactory(owner=rep), unresolved_since=SINCE)
    connection.password = "no longer the password"
    connection.save()
    emulator.faults.inject("session_expired")
    client.force_login(rep)

    searched = search(client, visit, "ada")
    picked = pick(client, visit, "Contact", org["contact"])

    assert searched.status_code == 200
    assert "Salesforce could not be asked" in searched.context["search_error"]
    assert "password" in searched.context["search_error"]  # the hint: check the login
    assert picked.status_code == 302
    assert any("Salesforce could not be asked" in text for text in messages_of(picked))
    visit.refresh_from_db()
    assert visit.unresolved_since == SINCE
