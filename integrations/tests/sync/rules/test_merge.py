"""merge_row, seen_already and unlink: one Salesforce row into one local record (pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from integrations.choices import MappingRule
from integrations.sync.rules.fields import FieldMap
from integrations.sync.rules.merge import merge_row, seen_already, unlink
from tracking.models import Contact

EARLIER = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)

TITLE = FieldMap("title", "Title", MappingRule.TWO_WAY)
PHONE = FieldMap("phone", "Phone", MappingRule.TWO_WAY)
EMAIL = FieldMap("email", "Email", MappingRule.TWO_WAY)
COUNTRY = FieldMap("country", "MailingCountryCode", MappingRule.TWO_WAY, geo="country")
STATE = FieldMap("state", "MailingStateCode", MappingRule.TWO_WAY, geo="state")


def contact(**fields) -> Contact:
    fields.setdefault("email", "ada@example.com")
    fields.setdefault("local_modified_at", EARLIER)
    return Contact(**fields)


def row(modstamp=LATER, modified=LATER, **values) -> dict:
    audit = {"Id": "003000000000001AAA", "SystemModstamp": modstamp, "LastModifiedDate": modified}
    return audit | values


# -- merge_row ----------------------------------------------------------------------------


def test_salesforce_newer_value_is_written_and_listed_as_a_change():
    # given
    record = contact(title="CTO", phone="123")

    # when
    changes, push = merge_row(record, row(Title="CEO", Phone="123"), [TITLE, PHONE])

    # then
    assert record.title == "CEO"
    assert changes == [{"field": "title", "salesforce_field": "Title", "old": "CTO", "new": "CEO"}]
    assert push is False


def test_nothing_changed_gives_no_changes_and_no_push():
    record = contact(title="CTO", email="ada@example.com")

    changes, push = merge_row(record, row(Title="CTO", Email="ADA@Example.com"), [TITLE, EMAIL])

    assert (changes, push) == ([], False)
    assert record.email == "ada@example.com"


def test_salesforce_blanking_a_field_writes_empty_string_and_records_none():
    record = contact(title="CTO")

    changes, _ = merge_row(record, row(Title=None), [TITLE])

    assert record.title == ""
    assert changes == [{"field": "title", "salesforce_field": "Title", "old": "CTO", "new": None}]


def test_newer_local_value_is_kept_and_asks_for_a_push():
    # given: changed here after Salesforce's last change
    record = contact(title="CTO", phone="123", local_modified_at=LATER)

    # when
    changes, push = merge_row(
        record, row(modified=EARLIER, Title="CEO", Phone="123"), [TITLE, PHONE]
    )

    # then
    assert record.title == "CTO"
    assert changes == []
    assert push is True


def test_push_stays_set_once_any_field_asks_for_it():
    record = contact(title="CTO", phone="", local_modified_at=LATER)

    changes, push = merge_row(
        record, row(modified=EARLIER, Title="CEO", Phone="555"), [TITLE, PHONE]
    )

    assert push is True
    assert changes == [{"field": "phone", "salesforce_field": "Phone", "old": "", "new": "555"}]


def test_fields_that_are_not_read_or_not_in_the_row_are_left_alone():
    # given
    record = contact(title="CTO", phone="123", sync_values={"Phone": "123"})
    outbound_only = FieldMap("title", "Title", MappingRule.TO_SALESFORCE)

    # when: the row has Title (not read) and no Phone
    changes, push = merge_row(record, row(Title="CEO"), [outbound_only, PHONE])

    # then
    assert (record.title, record.phone) == ("CTO", "123")
    assert (changes, push) == ([], False)
    assert record.sync_values == {"Phone": "123"}


def test_sync_values_hold_every_value_read_and_keep_older_keys():
    # given
    record = contact(title="CTO", phone="123", sync_values={"Fax": "999", "Title": "VP"})

    # when
    merge_row(record, row(Title="CEO", Phone="123"), [TITLE, PHONE])

    # then
    assert record.sync_values == {"Fax": "999", "Title": "CEO", "Phone": "123"}


def test_sync_values_are_a_new_dict():
    agreed = {"Title": "VP"}
    record = contact(title="VP", sync_values=agreed)

    merge_row(record, row(Title="CEO"), [TITLE])

    assert agreed == {"Title": "VP"}


def test_salesforce_modstamp_moves_to_the_rows():
    record = contact(salesforce_modstamp=EARLIER)
    modstamp = LATER + timedelta(minutes=5)

    merge_row(record, row(modstamp=modstamp, Title=""), [TITLE])

    assert record.salesforce_modstamp == modstamp


def test_echo_of_a_value_we_wrote_is_no_change():
    # given: we sent "CTO", then changed the title here again
    record = contact(title="CEO", sync_values={"Title": "CTO"}, local_modified_at=EARLIER)

    # when: Salesforce's row still has "CTO", modified after our local change
    changes, push = merge_row(record, row(modified=LATER, Title="CTO"), [TITLE])

    # then
    assert record.title == "CEO"
    assert (changes, push) == ([], False)


def test_local_names_are_compared_as_codes_with_the_rows_country():
    # given: free text here, ISO codes in Salesforce
    record = contact(country="Germany", state="Bavaria")

    # when
    changes, push = merge_row(
        record, row(MailingCountryCode="DE", MailingStateCode="BY"), [COUNTRY, STATE]
    )

    # then: both sides agree, nothing is rewritten
    assert (changes, push) == ([], False)
    assert (record.country, record.state) == ("Germany", "Bavaria")


def test_local_geo_value_that_cannot_be_normalised_is_compared_as_it_is():
    # given: a country no code exists for
    record = contact(country="Atlantis", state="Bavaria")

    # when
    changes, _ = merge_row(
        record, row(MailingCountryCode="DE", MailingStateCode="BY"), [COUNTRY, STATE]
    )

    # then: Salesforce's newer code replaces it; the state already agreed
    assert record.country == "DE"
    assert changes == [
        {
            "field": "country",
            "salesforce_field": "MailingCountryCode",
            "old": "Atlantis",
            "new": "DE",
        }
    ]


def test_property_fields_are_merged_into_properties():
    plan = FieldMap("properties.plan", "Plan__c", MappingRule.ALWAYS_SALESFORCE)
    record = contact(properties={"plan": "free", "seats": 3})

    changes, _ = merge_row(record, row(Plan__c="pro"), [plan])

    assert record.properties == {"plan": "pro", "seats": 3}
    assert changes == [
        {"field": "properties.plan", "salesforce_field": "Plan__c", "old": "free", "new": "pro"}
    ]


# -- seen_already -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modstamp", "expected"),
    [(EARLIER, True), (LATER, True), (LATER + timedelta(seconds=1), False)],
)
def test_row_not_newer_than_the_last_read_was_seen_already(modstamp, expected):
    record = contact(salesforce_modstamp=LATER)

    assert seen_already(record, {"SystemModstamp": modstamp}) is expected


def test_record_never_read_has_seen_nothing():
    record = contact(salesforce_modstamp=None)

    assert seen_already(record, {"SystemModstamp": EARLIER}) is False


# -- unlink -------------------------------------------------------------------------------


def test_unlink_keeps_the_record_marked_and_forgets_the_link():
    # given
    record = contact(title="CTO", salesforce_id="003000000000001AAA", sync_values={"Title": "CTO"})

    # when
    unlink(record)

    # then
    assert record.salesforce_id == ""
    assert record.deleted_in_salesforce is True
    assert record.sync_values == {}
    assert record.title == "CTO"
