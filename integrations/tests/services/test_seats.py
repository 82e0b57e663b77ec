"""Seats: assigning within the licence count, matched to the org's Users by email (active,
inactive, none), revoking, CRM sync per seat or for all, and the org's Users to assign from."""

import pytest
from django.contrib.auth import get_user_model

from integrations.emulator.records.ids import make_id
from integrations.emulator.records.org import (
    INACTIVE_USER_ID,
    INTEGRATION_USER_ID,
    MANAGER_USER_ID,
    SALES_REP_IDS,
)
from integrations.exceptions import ConfigurationError
from integrations.models import Seat, SeatRole, SyncSettings
from integrations.services.seats import (
    INACTIVE,
    NO_USER,
    SeatError,
    SeatLimitError,
    SeatNotFoundError,
    salesforce_users_list,
    seat_assign,
    seat_crm_sync_set,
    seat_revoke,
    seat_usage,
    seats_rematch,
)
from integrations.sync.rules.activities import write_back_q
from integrations.tests.factories import SeatFactory
from tracking.models import Activity
from tracking.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

SAM = "sam.seller@crmbridge-emulator.example"
RITA = "rita.rep@crmbridge-emulator.example"
MIA = "mia.manager@crmbridge-emulator.example"
IAN = "ian.inactive@crmbridge-emulator.example"


def limit(seats):
    settings = SyncSettings.load()
    settings.seat_limit = seats
    settings.save()
    return settings


def test_assigning_creates_the_user_and_a_seat_matched_to_the_active_salesforce_user(connection):
    seat = seat_assign(email="Sam.Seller@CRMBridge-Emulator.example", role=SeatRole.ADMIN)

    assert seat.matched
    assert (seat.salesforce_user_id, seat.salesforce_username, seat.match_problem) == (
        SALES_REP_IDS[0], SAM, ""
    )  # fmt: skip
    assert seat.role == SeatRole.ADMIN
    user = seat.user
    assert user.email == "Sam.Seller@CRMBridge-Emulator.example"
    assert not user.has_usable_password()
    assert not user.is_staff


def test_assigning_links_the_existing_local_user_and_its_activities(connection):
    existing = get_user_model().objects.create_user(
        "rita", email="RITA.rep@crmbridge-emulator.example"
    )
    posted_before = ActivityFactory(author_email=RITA, author=None)

    seat = seat_assign(email=RITA)

    assert seat.user == existing
    assert get_user_model().objects.count() == 1
    posted_before.refresh_from_db()
    assert posted_before.author == existing


def test_an_inactive_salesforce_user_leaves_the_seat_not_matched_with_the_reason(connection):
    seat = seat_assign(email=IAN)

    assert not seat.matched
    assert seat.salesforce_user_id == INACTIVE_USER_ID  # still linked, to say which user
    assert seat.match_problem == INACTIVE == "the Salesforce user with this email is inactive"


def test_an_email_no_salesforce_user_has_is_not_matched_with_the_reason(connection):
    seat = seat_assign(email="new.hire@example.com")

    assert not seat.matched
    assert (seat.salesforce_user_id, seat.match_problem) == ("", NO_USER)
    assert NO_USER == "no Salesforce user has this email"


def test_the_active_user_wins_over_an_inactive_one_with_the_same_email(connection, emulator):
    emulator.store.install("User", make_id("005", 90), {
        "LastName": "Seller (old)", "Username": "sam.old@crmbridge-emulator.example",
        "Email": SAM, "Alias": "sold", "IsActive": False, "UserType": "Standard",
    })  # fmt: skip

    assert seat_assign(email=SAM).salesforce_user_id == SALES_REP_IDS[0]


def test_assigning_past_the_licence_count_says_how_many_are_used(connection):
    limit(2)
    seat_assign(email=SAM)
    seat_assign(email=RITA)

    with pytest.raises(SeatLimitError) as raised:
        seat_assign(email=MIA)

    assert "2 of 2 seats are used" in str(raised.value)
    assert Seat.objects.count() == 2
    assert not get_user_model().objects.filter(email=MIA).exists()


def test_a_seat_holder_assigned_again_keeps_the_licence_and_takes_the_new_role(connection):
    limit(1)
    seat_assign(email=SAM)

    seat = seat_assign(email=SAM.upper(), role=SeatRole.ADMIN_MEMBER)

    assert Seat.objects.get() == seat
    assert seat.role == SeatRole.ADMIN_MEMBER
    assert str(seat_usage()) == "1 of 1 seats used"


def test_no_limit_counts_without_one(connection):
    seat_assign(email=SAM)

    assert str(seat_usage()) == "1 seat used (no licence limit)"


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [("not-an-email", SeatRole.MEMBER, "is not an email address"),
     (SAM, "owner", "'owner' is not a seat role: use one of admin, member, admin_member")],
)  # fmt: skip
def test_bad_input_is_a_seat_error(db, email, role, message):
    with pytest.raises(SeatError, match=message):
        seat_assign(email=email, role=role)


def test_without_a_connection_assigning_says_so_with_a_hint(db):
    with pytest.raises(ConfigurationError) as raised:
        seat_assign(email=SAM)

    assert "Connect one on the connection page" in raised.value.hint
    assert not Seat.objects.exists()


def test_an_email_with_quotes_is_escaped_in_the_query(connection, emulator):
    seat = seat_assign(email="o'brien+x@example.com")

    assert seat.match_problem == NO_USER


def test_revoking_takes_the_seat_and_keeps_the_user(connection):
    seat_assign(email=SAM)

    seat_revoke(email=SAM.upper())

    assert not Seat.objects.exists()
    assert get_user_model().objects.filter(email=SAM).exists()
    with pytest.raises(SeatNotFoundError, match=f"No seat is assigned to {SAM}"):
        seat_revoke(email=SAM)


def test_crm_sync_counts_per_seat_only_while_auto_sync_is_off(db):
    on, off = SeatFactory(), SeatFactory()
    seat_crm_sync_set(email=off.user.email, enabled=False)
    written = {ActivityFactory(author=seat.user).pk: seat for seat in (on, off)}
    settings = SyncSettings.load()
    settings.write_back = True

    def written_back():
        pks = Activity.objects.filter(write_back_q(settings)).values_list("pk", flat=True)
        return {written[pk] for pk in pks}

    settings.auto_sync_seat_holders = True
    assert written_back() == {on, off}
    settings.auto_sync_seat_holders = False
    assert written_back() == {on}
    off.refresh_from_db()
    assert off.syncs(auto_sync=False) is False


def test_crm_sync_of_an_unknown_seat_is_an_error(db):
    with pytest.raises(SeatNotFoundError):
        seat_crm_sync_set(email="nobody@example.com", enabled=True)


def test_rematching_reads_every_seat_again_in_one_query(connection, emulator):
    sam, rita = seat_assign(email=SAM), seat_assign(email=RITA)
    emulator.store.update("User", SALES_REP_IDS[1], {"IsActive": False}, system=True)
    emulator.reset_stats()

    assert seats_rematch() == 1

    assert emulator.api_calls == 1
    sam.refresh_from_db()
    rita.refresh_from_db()
    assert sam.matched
    assert (rita.matched, rita.match_problem) == (False, INACTIVE)


def test_the_import_lists_active_standard_users_by_name_with_their_match(connection):
    seat_assign(email=SAM)
    get_user_model().objects.create_user("rita", email=RITA)

    listed = salesforce_users_list(page=1, per_page=50)

    assert [user.salesforce_user_id for user in listed.users] == [
        MANAGER_USER_ID, SALES_REP_IDS[1], SALES_REP_IDS[0]
    ]  # Mia Manager, Rita Rep, Sam Seller: no integration user, no inactive Ian  # fmt: skip
    assert INTEGRATION_USER_ID not in {user.salesforce_user_id for user in listed.users}
    states = {user.email: user.match_state for user in listed.users}
    assert states == {
        MIA: "no local user yet",
        RITA: "local user, no seat",
        SAM: "has a seat (Member)",
    }
    assert listed.has_next is False


def test_the_import_is_paged_one_query_per_page(connection, emulator):
    for number in range(5):
        emulator.store.install("User", make_id("005", 100 + number), {
            "FirstName": "Zed", "LastName": f"User {number}",
            "Username": f"zed{number}@crmbridge-emulator.example",
            "Email": f"zed{number}@crmbridge-emulator.example", "Alias": f"zed{number}",
            "IsActive": True, "UserType": "Standard",
        })  # fmt: skip
    emulator.reset_stats()

    first = salesforce_users_list(page=1, per_page=4)
    second = salesforce_users_list(page=2, per_page=4)

    assert emulator.api_calls == 2
    assert (len(first.users), first.has_next) == (4, True)
    assert (len(second.users), second.has_next) == (4, False)
    names = [user.name for user in first.users + second.users]
    assert names[:3] == ["Mia Manager", "Rita Rep", "Sam Seller"]
    assert len(set(names)) == 8


@pytest.mark.parametrize(
    ("page", "per_page", "message"),
    [(0, 50, "Pages are numbered from 1."), (1, 500, "Show between 1 and 200 users per page."),
     (42, 50, "only up to the first 2,000")],
)  # fmt: skip
def test_pages_salesforce_cannot_list_are_a_seat_error(connection, page, per_page, message):
    with pytest.raises(SeatError, match=message):
        salesforce_users_list(page=page, per_page=per_page)
