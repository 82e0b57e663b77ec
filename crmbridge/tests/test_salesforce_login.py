""" "Sign in with Salesforce" through allauth's whole flow against the emulated org's login
(authorize, token and UserInfo endpoints over real HTTPS): a seat holder is signed in as
their seat's user, matched by Salesforce user id, then by verified email; anyone without a
seat gets the "no seat" page and no account."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from crmbridge.adapters import salesforce_user_id
from integrations.emulator.records.org import INACTIVE_USER_ID, SALES_REP_IDS
from integrations.models import SalesforceConnection, Seat, SeatRole

pytestmark = pytest.mark.django_db

SAM_ID, RITA_ID = SALES_REP_IDS
SAM_EMAIL = "sam.seller@crmbridge-emulator.example"


@pytest.fixture
def login_app(settings, emulator):
    """The emulated org's connected app as the "Sign in with Salesforce" app."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "salesforce": {
            "APPS": [
                {
                    "client_id": emulator.credentials.client_id,
                    "secret": emulator.credentials.client_secret,
                    "key": emulator.url,
                }
            ]
        }
    }
    return emulator


def sign_in_with_salesforce(client, as_username: str):
    """Click "Sign in with Salesforce", sign in at Salesforce as `as_username` (the emulated
    login page approves at once), and follow Salesforce's redirect back to CRM Bridge."""
    start = client.post(reverse("salesforce_login"), {"process": "login"})
    assert start.status_code == 302
    authorize = f"{start['Location']}&{urlencode({'login_hint': as_username})}"
    at_salesforce = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_salesforce.status_code == 302
    back = urlsplit(at_salesforce.headers["Location"])
    assert back.path == reverse("salesforce_callback")
    return client.get(back.path, dict(parse_qsl(back.query)))


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def seat_for(user, **fields) -> Seat:
    return Seat.objects.create(user=user, role=SeatRole.MEMBER, **fields)


def test_a_seat_holder_is_signed_in_by_their_salesforce_user_id(
    client, login_app, django_user_model
):
    # given: the seat's local email differs from Salesforce's: the user id decides
    user = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    seat_for(user, salesforce_user_id=SAM_ID, salesforce_active=True)

    # when
    response = sign_in_with_salesforce(client, SAM_EMAIL)

    # then: signed in, landing on the home page, the Salesforce login linked to them
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)
    account = SocialAccount.objects.get(provider="salesforce")
    assert (account.user, account.uid) == (user, SAM_ID)
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_again_uses_the_linked_salesforce_login(client, login_app, django_user_model):
    user = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    seat_for(user, salesforce_user_id=SAM_ID, salesforce_active=True)
    sign_in_with_salesforce(client, SAM_EMAIL)
    client.logout()

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    assert SocialAccount.objects.count() == 1


def test_a_seat_not_linked_to_a_salesforce_user_is_matched_by_verified_email(
    client, login_app, django_user_model
):
    user = django_user_model.objects.create_user("sam", SAM_EMAIL.upper(), "pw-12345678")
    seat_for(user, match_problem="No active Salesforce user has this email.")

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_a_seat_linked_to_another_salesforce_user_is_not_matched_by_email(
    client, login_app, django_user_model
):
    user = django_user_model.objects.create_user("sam", SAM_EMAIL, "pw-12345678")
    seat_for(user, salesforce_user_id=INACTIVE_USER_ID)

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_a_user_without_a_seat_gets_the_no_seat_page_and_is_not_signed_in(
    client, login_app, django_user_model
):
    django_user_model.objects.create_user("sam", SAM_EMAIL, "pw-12345678")  # no seat

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    html = response.content.decode()
    assert response.status_code == 403
    assert "You have no CRM Bridge seat" in html
    assert "Ask your CRM Bridge admin for a seat" in html
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_a_stranger_gets_the_no_seat_page_and_no_account(client, login_app, django_user_model):
    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 403
    assert "You have no CRM Bridge seat" in response.content.decode()
    assert not django_user_model.objects.exists()
    assert not SocialAccount.objects.exists()


def test_a_seat_moved_to_another_local_user_signs_that_user_in(
    client, login_app, django_user_model
):
    # given: Sam signed in with Salesforce once; the admin then gave the seat to a new user
    first = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    seat = seat_for(first, salesforce_user_id=SAM_ID, salesforce_active=True)
    sign_in_with_salesforce(client, SAM_EMAIL)
    client.logout()
    second = django_user_model.objects.create_user("sam2", "sam2@acme.example", "pw-12345678")
    Seat.objects.filter(pk=seat.pk).update(user=second)

    # when
    sign_in_with_salesforce(client, SAM_EMAIL)

    # then
    assert signed_in_user_id(client) == str(second.pk)
    assert SocialAccount.objects.get().user == second


def test_a_revoked_seat_cannot_sign_in_with_its_old_salesforce_login(
    client, login_app, django_user_model
):
    user = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    seat = seat_for(user, salesforce_user_id=SAM_ID, salesforce_active=True)
    sign_in_with_salesforce(client, SAM_EMAIL)
    client.logout()
    seat.delete()

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_another_seat_holder_is_signed_in_as_themselves(client, login_app, django_user_model):
    sam = django_user_model.objects.create_user("sam", "sam@acme.example", "pw-12345678")
    rita = django_user_model.objects.create_user("rita", "rita@acme.example", "pw-12345678")
    seat_for(sam, salesforce_user_id=SAM_ID, salesforce_active=True)
    seat_for(rita, salesforce_user_id=RITA_ID, salesforce_active=True)

    sign_in_with_salesforce(client, "rita.rep@crmbridge-emulator.example")

    assert signed_in_user_id(client) == str(rita.pk)


@pytest.mark.parametrize(
    "uid",
    [SAM_ID, f"https://login.salesforce.com/id/00D000000000001AAA/{SAM_ID}",
     f"https://acme.my.salesforce.com/id/00D000000000001AAA/{SAM_ID}/"],
)  # fmt: skip
def test_the_salesforce_user_id_is_the_last_part_of_the_uid(uid):
    assert salesforce_user_id(uid) == SAM_ID


def test_a_login_from_another_org_than_the_connected_one_is_refused(
    client, login_app, django_user_model
):
    user = django_user_model.objects.create_user("sam", SAM_EMAIL, "pw-12345678")
    seat_for(user, salesforce_user_id=SAM_ID, salesforce_active=True)
    connection = SalesforceConnection.load()
    connection.org_id = "00D000000000OTHERX"  # CRM Bridge is connected to another org
    connection.save()

    response = sign_in_with_salesforce(client, SAM_EMAIL)

    assert response.status_code == 403
    assert "another Salesforce org" in response.content.decode()
    assert signed_in_user_id(client) is None
