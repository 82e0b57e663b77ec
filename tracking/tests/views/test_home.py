"""The sales user's home page: their own contacts and companies with their sync state and
history links, their unresolved activities, search, pages, and nobody else's records."""

import pytest
from django.urls import reverse

from tracking import hooks
from tracking.choices import NotSentReason
from tracking.tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    LinkFactory,
    SyncEventFactory,
    VisitFactory,
)
from tracking.views.history import history_url
from tracking.views.home import PAGE_SIZE

pytestmark = pytest.mark.django_db

HOME = "/"
SAM = "005000000000002AAA"  # the member's Salesforce user
RITA = "005000000000003AAA"  # another seat holder's


@pytest.fixture
def rep(django_user_model):
    return django_user_model.objects.create_user("rep", "rep@example.com", "pw-12345678")


@pytest.fixture
def other_rep(django_user_model):
    return django_user_model.objects.create_user("other", "other@example.com", "pw-12345678")


@pytest.fixture
def seats(monkeypatch, rep):
    """The Salesforce side says the rep's seat is Sam's Salesforce user; others have none."""
    monkeypatch.setattr(
        hooks, "_salesforce_user_id_provider", lambda user: SAM if user.pk == rep.pk else ""
    )


@pytest.fixture
def everything_sent(monkeypatch):
    monkeypatch.setattr(hooks, "_not_sent_provider", None)


def shown(response, section: str) -> set[int]:
    return {row.record.pk for row in response.context[section].object_list}


def test_home_is_the_root_address_and_where_signing_in_lands(settings):
    assert reverse("home") == HOME
    assert settings.LOGIN_REDIRECT_URL == HOME


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_land_in_the_settings_console(admin_client):
    response = admin_client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_members_see_the_records_they_own_here_or_in_salesforce_and_no_others(
    client, rep, other_rep, seats
):
    # given
    owned_here = ContactFactory(owner=rep)
    owned_in_salesforce = ContactFactory(salesforce_owner_id=SAM)
    company = CompanyFactory(salesforce_owner_id=SAM)
    ContactFactory(owner=other_rep)
    ContactFactory(salesforce_owner_id=RITA)
    ContactFactory()  # nobody's
    CompanyFactory(salesforce_owner_id=RITA)
    CompanyFactory()
    client.force_login(rep)

    # when
    response = client.get(HOME)

    # then
    assert response.status_code == 200
    assert shown(response, "contacts") == {owned_here.pk, owned_in_salesforce.pk}
    assert shown(response, "companies") == {company.pk}
    html = response.content.decode()
    assert f'href="{history_url(owned_in_salesforce)}"' in html
    assert f'href="{history_url(company)}"' in html


def test_a_member_without_a_salesforce_user_sees_no_record_without_a_salesforce_owner(
    client, other_rep, seats
):
    ContactFactory(salesforce_owner_id="")
    CompanyFactory(salesforce_owner_id="")
    mine = ContactFactory(owner=other_rep)
    client.force_login(other_rep)

    response = client.get(HOME)

    assert shown(response, "contacts") == {mine.pk}
    assert shown(response, "companies") == set()
    assert "not linked to a Salesforce user" in response.content.decode()


def test_each_record_shows_its_sync_state(client, rep, seats, monkeypatch):
    # given: one in sync, one waiting, one failed, one left out by the sync
    synced = ContactFactory(owner=rep, salesforce_id="003000000000001AAA")
    ContactFactory._meta.model.objects.filter(pk=synced.pk).update(
        salesforce_synced_at="2026-05-01T10:00:00Z", local_modified_at="2026-05-01T09:00:00Z"
    )
    ContactFactory(owner=rep, email="waiting@example.com")
    failed = ContactFactory(owner=rep, local_modified_at="2026-05-01T09:00:00Z")
    SyncEventFactory(record=failed, status="error", operation="error",
                     error_code="REQUIRED_FIELD_MISSING", hint="Give it a last name.")  # fmt: skip
    left_out = ContactFactory(owner=rep, email="left-out@example.com")
    outside = NotSentReason.OUTSIDE_INCLUSION_LIST
    monkeypatch.setattr(
        hooks, "_not_sent_provider",
        lambda model, pks: {left_out.pk: outside} if left_out.pk in pks else {},
    )  # fmt: skip
    client.force_login(rep)

    html = client.get(HOME).content.decode()

    assert "In sync" in html
    assert "Waiting to be sent" in html
    assert "Failed to sync" in html
    assert "REQUIRED_FIELD_MISSING" in html
    assert "Give it a last name." in html
    assert NotSentReason.OUTSIDE_INCLUSION_LIST.label in html


def test_the_unresolved_activities_are_counted_with_a_link_to_them(client, rep, other_rep, seats):
    since = "2026-05-02T08:00:00Z"
    LinkFactory(owner=rep, unresolved_since=since)
    VisitFactory(link=LinkFactory(owner=rep), unresolved_since=since)
    ActivityFactory(author=rep, unresolved_since=since)
    ActivityFactory(author=rep)  # resolved
    ActivityFactory(author=other_rep, unresolved_since=since)
    client.force_login(rep)

    response = client.get(HOME)

    assert response.context["unresolved"] == 3
    html = response.content.decode()
    assert "<strong>3</strong> of your activities wait" in html
    assert f'href="{reverse("activities:unresolved")}"' in html


@pytest.mark.parametrize(
    ("term", "expected"),
    [("ada@", {"ada"}), ("LOVELACE", {"ada"}), ("ada love", {"ada"}), ("grace", {"grace"})],
)
def test_the_search_finds_own_contacts_by_email_or_name(client, rep, seats, term, expected):
    contacts = {
        "ada": ContactFactory(owner=rep, email="ada@example.com", first_name="Ada",
                              last_name="Lovelace"),
        "grace": ContactFactory(owner=rep, email="g.hopper@example.com", first_name="Grace",
                                last_name="Hopper"),
    }  # fmt: skip
    ContactFactory(email="ada@elsewhere.example", first_name="Ada")  # not theirs
    client.force_login(rep)

    response = client.get(HOME, {"q": term})

    assert shown(response, "contacts") == {contacts[name].pk for name in expected}


def test_the_search_finds_own_companies_by_name(client, rep, seats):
    acme = CompanyFactory(name="Acme Corp", salesforce_owner_id=SAM)
    CompanyFactory(name="Globex", salesforce_owner_id=SAM)
    CompanyFactory(name="Acme Elsewhere", salesforce_owner_id=RITA)
    client.force_login(rep)

    response = client.get(HOME, {"q": "acme"})

    assert shown(response, "companies") == {acme.pk}
    assert 'value="acme"' in response.content.decode()


def test_a_search_that_finds_nothing_says_so(client, rep, seats):
    ContactFactory(owner=rep)
    client.force_login(rep)

    html = client.get(HOME, {"q": "nobody-at-all"}).content.decode()

    assert "No contact of yours matches “nobody-at-all”." in html


def test_each_list_is_paged_on_its_own(client, rep, seats):
    ContactFactory.create_batch(PAGE_SIZE + 3, owner=rep)
    CompanyFactory.create_batch(2, salesforce_owner_id=SAM)
    client.force_login(rep)

    response = client.get(HOME, {"contacts_page": 2})

    assert len(response.context["contacts"].object_list) == 3
    assert response.context["contacts"].paginator.count == PAGE_SIZE + 3
    assert len(response.context["companies"].object_list) == 2
    assert "?contacts_page=1" in response.content.decode()


def test_a_page_costs_the_same_queries_however_many_records(
    client, rep, seats, everything_sent, django_assert_max_num_queries
):
    def records(amount):
        ContactFactory.create_batch(amount, owner=rep, salesforce_id="003000000000009AAA")
        CompanyFactory.create_batch(
            amount, salesforce_owner_id=SAM, salesforce_id="001000000000009AAA"
        )

    records(1)
    client.force_login(rep)
    with django_assert_max_num_queries(50) as few:
        client.get(HOME)
    records(PAGE_SIZE)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(HOME)

    assert len(response.context["contacts"].object_list) == PAGE_SIZE
