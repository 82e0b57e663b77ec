"""The compiled query: ordering, offset and limit, and what the store uses from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from simple_salesforce.format import format_soql

from integrations.emulator.records.ids import make_id

from .conftest import ACCOUNT_ID, OTHER_ACCOUNT_ID, compile_, contact, get_parent, ids, run

# -- ordering and paging -------------------------------------------------------------------


def test_order_by_sorts_text_case_insensitively_with_nulls_first_ascending():
    records = [contact(1, LastName="beta"), contact(2, LastName=None), contact(3, LastName="Alpha")]

    result = run("SELECT Id FROM Contact ORDER BY LastName", records)

    assert [record["LastName"] for record in result] == [None, "Alpha", "beta"]


def test_order_by_desc_puts_nulls_last_unless_told_otherwise():
    records = [contact(1, Score__c=1), contact(2, Score__c=None), contact(3, Score__c=2)]

    default = run("SELECT Id FROM Contact ORDER BY Score__c DESC", records)
    nulls_first = run("SELECT Id FROM Contact ORDER BY Score__c DESC NULLS FIRST", records)
    asc_nulls_last = run("SELECT Id FROM Contact ORDER BY Score__c ASC NULLS LAST", records)

    assert [record["Score__c"] for record in default] == [2, 1, None]
    assert [record["Score__c"] for record in nulls_first] == [None, 2, 1]
    assert [record["Score__c"] for record in asc_nulls_last] == [1, 2, None]


def test_order_by_several_keys_and_relationship_paths():
    records = [
        contact(1, LastName="b", AccountId=OTHER_ACCOUNT_ID),
        contact(2, LastName="a", AccountId=ACCOUNT_ID),
        contact(3, LastName="c", AccountId=ACCOUNT_ID),
        contact(4, LastName="d", AccountId=None),
    ]

    result = run("SELECT Id FROM Contact ORDER BY Account.Name DESC, LastName DESC", records)

    assert [record["LastName"] for record in result] == ["b", "c", "a", "d"]


def test_offset_and_limit_apply_after_filter_and_sort():
    records = [contact(serial, Score__c=serial % 4) for serial in range(1, 11)]
    soql = "SELECT Id FROM Contact WHERE Score__c > 0 ORDER BY Score__c, Id LIMIT 3 OFFSET 2"

    result = run(soql, records)

    assert [(record["Score__c"], record["Id"]) for record in result] == [
        (1, make_id("003", 9)),
        (2, make_id("003", 2)),
        (2, make_id("003", 6)),
    ]


def test_unsorted_results_keep_the_given_order_and_stop_at_the_limit():
    records = [contact(serial) for serial in range(1, 6)]

    assert ids(run("SELECT Id FROM Contact LIMIT 2 OFFSET 1", records)) == ids(records[1:3])
    assert ids(run("SELECT Id FROM Contact LIMIT 0", records)) == []


# -- what the store uses -------------------------------------------------------------------


def test_value_reads_select_paths_through_parents():
    query = compile_("SELECT Id, LastName, Account.Name, Account.Owner.Name FROM Contact")
    with_parent = contact(1, LastName="Smith", AccountId=ACCOUNT_ID)
    orphan = contact(2, LastName="Jones", AccountId=None)

    assert query.value(with_parent, "LastName", get_parent) == "Smith"
    assert query.value(with_parent, "Account.Owner.Name", get_parent) == "Olga Owner"
    assert query.value(orphan, "Account.Name", get_parent) is None


def test_equality_hint_prefers_id_and_normalises_values():
    query = compile_(
        f"SELECT Id FROM Contact WHERE Email = 'A@X.com' AND Id IN ('{make_id('003', 1)[:15]}')"
    )

    assert query.equality_hint() == ("Id", frozenset({make_id("003", 1)}))


def test_equality_hint_lowercases_text_values():
    query = compile_("SELECT Id FROM Contact WHERE Email IN ('A@X.com', 'b@x.com') AND Phone = '1'")

    assert query.equality_hint() == ("Email", frozenset({"a@x.com", "b@x.com"}))


@pytest.mark.parametrize(
    "where",
    [
        "",
        "WHERE Email = 'a@x.com' OR LastName = 'b'",
        "WHERE NOT Email = 'a@x.com'",
        "WHERE Email = null",
        "WHERE Email != 'a@x.com'",
        "WHERE Account.Name = 'Acme'",
        "WHERE LeadSource = 'Web'",
    ],
)
def test_no_equality_hint_when_no_top_level_equality_on_an_indexable_field(where):
    assert compile_(f"SELECT Id FROM Contact {where}").equality_hint() is None


def test_large_in_list_over_many_records_stays_fast():
    emails = [f"user{serial}@x.com" for serial in range(3000)]
    records = [contact(serial, Email=f"USER{serial}@x.com") for serial in range(100_000)]
    soql = format_soql("SELECT Id FROM Contact WHERE Email IN {} ORDER BY Email", emails)

    query = compile_(soql)
    started = datetime.now(UTC)
    result = query.run(records, get_parent)
    elapsed = datetime.now(UTC) - started

    assert len(result) == 3000
    assert elapsed.total_seconds() < 2
