"""The seats console: the list with the licence usage, the CRM sync bulk actions, and
"Import Salesforce users" with its "Assign seat" buttons."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from integrations.emulator.records.org import SALES_REP_IDS
from integrations.models import Seat, SyncSettings
from integrations.services.seats import INACTIVE
from integrations.tests.factories import SeatFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:integrations_seat_changelist")
IMPORT = reverse("admin:integrations_seat_import_users")
ASSIGN = reverse("admin:integrations_seat_import_users_assign")
SAM = "sam.seller@crmbridge-emulator.example"
RITA = "rita.rep@crmbridge-emulator.example"


def settings(**fields):
    row = SyncSettings.load()
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_list_shows_each_seat_its_match_and_the_licence_usage(admin_client):
    settings(seat_limit=10, auto_sync_seat_holders=False)
    SeatFactory(user__email="ann@example.com", salesforce_username="ann@sf.example",
                salesforce_user_id="005000000000001AAA")  # fmt: skip
    SeatFactory(user__email="ian@example.com", salesforce_active=False, match_problem=INACTIVE)

    html = admin_client.get(LIST).content.decode()

    assert "2 of 10 seats used" in html
    assert "ann@sf.example (005000000000001AAA)" in html
    assert "Matched" in html
    assert "Not matched: the Salesforce user with this email is inactive" in html
    assert "Import Salesforce users" in html
    assert "(overridden)" not in html


def test_with_auto_sync_the_per_seat_switches_are_shown_overridden(admin_client):
    SeatFactory(crm_sync=False)

    html = admin_client.get(LIST).content.decode()

    assert "Per-seat CRM sync is overridden: auto-sync is on: every seat syncs" in html
    assert 'off <span class="crmb-overridden" title="auto-sync is on: every seat syncs">' in html


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [("enable_crm_sync", False, True), ("disable_crm_sync", True, False)],
)
def test_the_bulk_actions_switch_crm_sync_of_the_selected_seats_only(
    admin_client, action, before, after
):
    settings(auto_sync_seat_holders=False)
    chosen = [SeatFactory(crm_sync=before), SeatFactory(crm_sync=before)]
    other = SeatFactory(crm_sync=before)

    response = admin_client.post(
        LIST, {"action": action, "_selected_action": [seat.pk for seat in chosen]}, follow=True
    )

    state = "on" if after else "off"
    assert messages_of(response) == [f"CRM sync is {state} for 2 seats (2 changed)."]
    assert [seat.crm_sync for seat in Seat.objects.filter(pk__in=[s.pk for s in chosen])] == [
        after, after
    ]  # fmt: skip
    other.refresh_from_db()
    assert other.crm_sync is before


def test_a_bulk_action_under_auto_sync_says_the_switch_is_overridden(admin_client):
    seat = SeatFactory()

    response = admin_client.post(
        LIST, {"action": "disable_crm_sync", "_selected_action": [seat.pk]}, follow=True
    )

    (message,) = messages_of(response)
    assert "Note: auto-sync is on: every seat syncs" in message


def test_matching_again_reads_the_selected_seats_users(admin_client, connection):
    seat = SeatFactory(user__email=RITA, salesforce_user_id="", salesforce_active=False,
                       match_problem="no Salesforce user has this email")  # fmt: skip

    response = admin_client.post(
        LIST, {"action": "match_again", "_selected_action": [seat.pk]}, follow=True
    )

    assert messages_of(response) == ["1 of 1 seats are matched."]
    seat.refresh_from_db()
    assert (seat.salesforce_user_id, seat.match_problem) == (SALES_REP_IDS[1], "")


def test_there_is_no_bare_add_form(admin_client):
    assert admin_client.get(reverse("admin:integrations_seat_add")).status_code == 403


def test_the_import_page_lists_the_active_users_with_an_assign_button(admin_client, connection):
    settings(seat_limit=5)
    SeatFactory(user__email=SAM, salesforce_user_id=SALES_REP_IDS[0])

    html = admin_client.get(IMPORT).content.decode()

    assert "1 of 5 seats used" in html
    assert f'data-user="{SALES_REP_IDS[1]}"' in html
    assert "Rita Rep" in html
    assert "has a seat (Member)" in html
    assert html.count(">Assign seat</button>") == 3  # Mia, Rita, and the by-email form
    assert 'name="csrfmiddlewaretoken"' in html
    assert "ian.inactive" not in html


def test_assign_seat_creates_the_seat_and_says_so(admin_client, connection):
    response = admin_client.post(ASSIGN, {"email": RITA, "role": "admin", "page": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{IMPORT}?page=1"
    seat = Seat.objects.get()
    assert (seat.user.email, seat.role, seat.salesforce_user_id) == (RITA, "admin",
                                                                     SALES_REP_IDS[1])  # fmt: skip
    page = admin_client.get(response["Location"])
    assert messages_of(page) == [
        f"Seat assigned to {RITA} (matched). 1 seat used (no licence limit)."
    ]


def test_assigning_past_the_limit_is_an_error_message_not_a_seat(admin_client, connection):
    settings(seat_limit=1)
    SeatFactory()

    response = admin_client.post(ASSIGN, {"email": RITA, "role": "member"}, follow=True)

    (message,) = messages_of(response)
    assert message.startswith(f"Could not assign a seat to {RITA}: No licence left: 1 of 1 seats")
    assert Seat.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [({"email": "nope", "role": "member"}, "email: Enter a valid email address."),
     ({"email": RITA, "role": "owner"}, "role: Select a valid choice.")],
)  # fmt: skip
def test_bad_assign_input_is_a_message(admin_client, data, reason):
    response = admin_client.post(ASSIGN, data, follow=True)

    assert response.status_code == 200
    (message,) = messages_of(response)
    assert message.startswith(f"Assign seat: {reason}")
    assert not Seat.objects.exists()


def test_assign_needs_a_post(admin_client):
    assert admin_client.get(ASSIGN).status_code == 405


def test_a_bad_page_number_is_said_on_the_page(admin_client, connection):
    response = admin_client.get(f"{IMPORT}?page=abc")

    assert response.status_code == 200
    assert "Pages are numbered from 1." in response.content.decode()


def test_without_a_connection_the_import_page_says_so_with_the_hint(admin_client):
    html = admin_client.get(IMPORT).content.decode()

    assert "No Salesforce org is connected. Connect one on the connection page." in html


def test_the_import_page_needs_the_permission_to_add_seats(client):
    staff = UserFactory(email="staff@example.com", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_seat"))
    client.force_login(staff)

    assert client.get(IMPORT).status_code == 403
    assert client.post(ASSIGN, {"email": RITA, "role": "member"}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_seat"))
    assert client.get(IMPORT).status_code == 200


@pytest.mark.browser
def test_importing_and_assigning_a_seat_in_the_browser(browser_page, connection):
    page = browser_page
    settings(seat_limit=10)
    SeatFactory(user__email="ian.inactive@crmbridge-emulator.example", salesforce_active=False,
                match_problem=INACTIVE)  # fmt: skip
    page.goto(LIST)
    assert "Not matched: " + INACTIVE in page.locator("#result_list").inner_text()
    page.get_by_role("link", name="Import Salesforce users").click()

    row = page.locator(f'[data-user="{SALES_REP_IDS[1]}"]')
    assert "no local user yet" in row.inner_text()
    row.get_by_label("Role for Rita Rep").select_option("admin_member")
    row.get_by_role("button", name="Assign seat").click()

    success = page.locator(".messagelist .success").inner_text()
    assert f"Seat assigned to {RITA} (matched). 2 of 10 seats used." in success
    row = page.locator(f'[data-user="{SALES_REP_IDS[1]}"]')
    assert "has a seat (Admin and member)" in row.inner_text()
    assert "2 of 10 seats used" in page.locator("#seat-usage").inner_text()
    assert Seat.objects.get(user__email=RITA).role == "admin_member"


def test_a_seat_s_role_and_crm_sync_are_edited_on_its_page(admin_client):
    seat = SeatFactory()
    url = reverse("admin:integrations_seat_change", args=[seat.pk])
    assert "Matched" in admin_client.get(url).content.decode()

    response = admin_client.post(url, {"role": "admin", "crm_sync": ""})

    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.role, seat.crm_sync) == ("admin", False)
