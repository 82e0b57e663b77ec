"""State and country picklists (the org setting): describe and Salesforce's integrity errors."""

import base64

import pytest

from integrations.emulator import Emulator
from integrations.emulator.errors import ApiError
from integrations.emulator.records.geo import COUNTRY_MESSAGE, countries
from integrations.emulator.records.store import Store

from ..conftest import API_VERSION, new_session, password_login


@pytest.fixture
def store():
    return Store(state_country_picklists=True)


def _integrity_error(store, fields):
    with pytest.raises(ApiError) as raised:
        store.insert("Contact", {"LastName": "X", **fields})
    return raised.value


def test_valid_country_name_sets_the_code(store):
    contact_id = store.insert("Contact", {"LastName": "X", "MailingCountry": "Germany",
                                          "MailingState": "Bayern"})  # fmt: skip
    contact = store.get("Contact", contact_id)

    assert (contact["MailingCountryCode"], contact["MailingStateCode"]) == ("DE", "BY")


def test_codes_set_the_names(store):
    account_id = store.insert("Account", {"Name": "A", "BillingCountryCode": "US",
                                          "BillingStateCode": "CA"})  # fmt: skip
    account = store.get("Account", account_id)

    assert (account["BillingCountry"], account["BillingState"]) == ("United States", "California")


@pytest.mark.parametrize(
    "fields",
    [{"MailingCountry": "USA"}, {"MailingCountryCode": "XX"}, {"MailingCountry": "Narnia"}],
)
def test_unknown_countries_fail_field_integrity(store, fields):
    error = _integrity_error(store, fields)

    assert (error.error_code, error.message) == ("FIELD_INTEGRITY_EXCEPTION", COUNTRY_MESSAGE)


def test_state_must_belong_to_the_country(store):
    wrong_state = _integrity_error(store, {"MailingCountryCode": "US", "MailingStateCode": "BY"})
    no_country = _integrity_error(store, {"MailingState": "California"})

    assert wrong_state.error_code == "FIELD_INTEGRITY_EXCEPTION"
    assert "state" in wrong_state.message
    assert no_country.message.startswith("A country/territory must be specified")


def test_setting_is_off_by_default():
    contact_id = Store().insert("Contact", {"LastName": "X", "MailingCountry": "USA"})

    assert contact_id


def test_describe_shows_dependent_code_picklists(tmp_path):
    with Emulator(state_country_picklists=True).start(cert_dir=tmp_path) as emulator:
        http = new_session(emulator)
        token = password_login(emulator, http).json()["access_token"]
        url = f"{emulator.url}/services/data/v{API_VERSION}/sobjects/Contact/describe"
        headers = {"Authorization": f"Bearer {token}"}
        describe = http.get(url, headers=headers, timeout=10).json()
    fields = {field["name"]: field for field in describe["fields"]}
    state = fields["MailingStateCode"]
    california = next(v for v in state["picklistValues"] if v["label"] == "California")
    us_index = list(countries()).index("US")
    bitmap = base64.b64decode(california["validFor"])

    assert fields["MailingCountryCode"]["type"] == "picklist"
    assert state["controllerName"] == "MailingCountryCode"
    assert state["dependentPicklist"] is True
    assert bitmap[us_index // 8] & (0x80 >> (us_index % 8))
