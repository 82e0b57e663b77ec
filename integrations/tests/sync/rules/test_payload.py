"""changed_values: what an outbound write sends for one record (pure)."""

import pytest

from integrations.choices import MappingRule
from integrations.sync.rules.fields import FieldMap
from integrations.sync.rules.payload import REQUIRED, changed_values
from tracking.models import Company, Contact

LINKED = "00Q000000000001AAA"

TITLE = FieldMap("title", "Title", MappingRule.TWO_WAY)
PHONE = FieldMap("phone", "Phone", MappingRule.TWO_WAY)
EMAIL = FieldMap("email", "Email", MappingRule.TWO_WAY)
LAST_NAME = FieldMap("last_name", "LastName", MappingRule.TWO_WAY)
COMPANY = FieldMap("company", "Company", MappingRule.TWO_WAY)
COUNTRY = FieldMap("country", "CountryCode", MappingRule.TWO_WAY, geo="country")
STATE = FieldMap("state", "StateCode", MappingRule.TWO_WAY, geo="state")


def contact(**fields) -> Contact:
    fields.setdefault("email", "ada@example.com")
    fields.setdefault("salesforce_id", LINKED)
    return Contact(**fields)


def test_unchanged_fields_are_omitted():
    # given: the title is what both sides last agreed on, the phone changed here
    record = contact(title="CTO", phone="555", sync_values={"Title": "CTO", "Phone": "123"})

    # when
    payload = changed_values(record, [TITLE, PHONE], "Lead")

    # then
    assert payload.values == {"Phone": "555"}
    assert payload.problems == []


def test_nothing_changed_sends_nothing():
    record = contact(title="CTO", sync_values={"Title": "CTO"})

    assert changed_values(record, [TITLE], "Lead").values == {}


def test_field_never_agreed_on_is_sent():
    record = contact(title="CTO", sync_values={})

    assert changed_values(record, [TITLE], "Lead").values == {"Title": "CTO"}


def test_email_differing_only_in_case_is_unchanged():
    record = contact(email="Ada@Example.com", sync_values={"Email": "ada@example.com"})

    assert changed_values(record, [EMAIL], "Lead").values == {}


def test_other_fields_differing_only_in_case_are_sent():
    record = contact(title="cto", sync_values={"Title": "CTO"})

    assert changed_values(record, [TITLE], "Lead").values == {"Title": "cto"}


def test_linked_record_blanked_here_clears_an_optional_field():
    record = contact(title="", sync_values={"Title": "CTO"})

    assert changed_values(record, [TITLE], "Lead").values == {"Title": None}


@pytest.mark.parametrize(
    ("sobject", "item"),
    [("Lead", LAST_NAME), ("Lead", COMPANY), ("Contact", LAST_NAME)],
)
def test_required_fields_are_never_blanked(sobject, item):
    # given: a linked person whose required field was emptied here
    record = contact(last_name="", company="", sync_values={item.salesforce: "Lovelace"})

    # when
    payload = changed_values(record, [item], sobject)

    # then: Salesforce keeps its value
    assert payload.values == {}


def test_account_name_is_never_blanked():
    company = Company(name="  ", salesforce_id="001000000000001AAA", sync_values={"Name": "Acme"})
    name = FieldMap("name", "Name", MappingRule.TWO_WAY)

    assert changed_values(company, [name], "Account").values == {}


def test_required_fields_are_named_per_object():
    assert REQUIRED == {
        "Lead": {"LastName", "Company"},
        "Contact": {"LastName"},
        "Account": {"Name"},
    }


def test_required_field_with_a_value_is_sent():
    record = contact(last_name="Byron", sync_values={"LastName": "Lovelace"})

    assert changed_values(record, [LAST_NAME], "Contact").values == {"LastName": "Byron"}


def test_creation_skips_blank_values_and_sends_the_rest():
    # given: not in Salesforce yet, nothing agreed on
    record = contact(salesforce_id="", title="", phone="555", last_name="Lovelace")

    # when
    payload = changed_values(record, [TITLE, PHONE, LAST_NAME], "Lead")

    # then
    assert payload.values == {"Phone": "555", "LastName": "Lovelace"}


@pytest.mark.parametrize("rule", [MappingRule.ALWAYS_SALESFORCE, MappingRule.OFF])
def test_fields_that_are_not_written_are_not_sent(rule):
    record = contact(title="CTO", sync_values={"Title": "VP"})

    assert changed_values(record, [FieldMap("title", "Title", rule)], "Lead").values == {}


def test_to_salesforce_fields_are_sent():
    record = contact(title="CTO", sync_values={"Title": "VP"})
    item = FieldMap("title", "Title", MappingRule.TO_SALESFORCE)

    assert changed_values(record, [item], "Lead").values == {"Title": "CTO"}


def test_prefer_salesforce_skips_a_field_salesforce_has_a_value_for():
    record = contact(title="CTO", sync_values={"Title": "VP"})
    item = FieldMap("title", "Title", MappingRule.PREFER_SALESFORCE)

    assert changed_values(record, [item], "Lead").values == {}


@pytest.mark.parametrize("agreed", [{"Title": None}, {"Title": ""}, {}])
def test_prefer_salesforce_sends_when_salesforce_is_blank(agreed):
    record = contact(title="CTO", sync_values=agreed)
    item = FieldMap("title", "Title", MappingRule.PREFER_SALESFORCE)

    assert changed_values(record, [item], "Lead").values == {"Title": "CTO"}


def test_geo_names_are_sent_as_codes_the_state_within_its_country():
    record = contact(country="Deutschland", state="Bavaria", sync_values={})

    payload = changed_values(record, [COUNTRY, STATE], "Lead")

    assert payload.values == {"CountryCode": "DE", "StateCode": "BY"}
    assert payload.problems == []


def test_geo_values_equal_as_codes_are_unchanged():
    record = contact(
        country="Germany", state="Bayern", sync_values={"CountryCode": "DE", "StateCode": "BY"}
    )

    assert changed_values(record, [COUNTRY, STATE], "Lead").values == {}


def test_geo_problems_are_reported_and_the_rest_still_sent():
    # given: a country no code exists for
    record = contact(country="Atlantis", title="CTO", sync_values={})

    # when
    payload = changed_values(record, [COUNTRY, TITLE], "Lead")

    # then
    assert payload.values == {"Title": "CTO"}
    assert [field for field, _ in payload.problems] == ["CountryCode"]
    assert "Atlantis" in payload.problems[0][1]


def test_state_that_is_not_in_its_country_is_a_problem():
    record = contact(country="Germany", state="Texas", sync_values={})

    payload = changed_values(record, [COUNTRY, STATE], "Lead")

    assert payload.values == {"CountryCode": "DE"}
    assert payload.problems == [("StateCode", "“Texas” is not a state of DE.")]


def test_record_without_sync_values_sends_every_value():
    record = contact(title="CTO", sync_values=None)

    assert changed_values(record, [TITLE], "Lead").values == {"Title": "CTO"}
