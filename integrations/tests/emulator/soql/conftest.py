"""A small schema and parent records for the SOQL tests, and helpers to compile and run
queries against them."""

from __future__ import annotations

import pytest

from integrations.emulator.records.ids import make_id
from integrations.emulator.soql.engine import SoqlError, compile_query

SCHEMA = {
    "Account": {
        "Id": {"type": "id"},
        "Name": {"type": "string"},
        "OwnerId": {"type": "reference", "referenceTo": ["User"], "relationshipName": "Owner"},
        "AnnualRevenue": {"type": "currency"},
    },
    "Contact": {
        "Id": {"type": "id"},
        "FirstName": {"type": "string"},
        "LastName": {"type": "string"},
        "Email": {"type": "email"},
        "Phone": {"type": "phone"},
        "LeadSource": {"type": "picklist"},
        "Description": {"type": "textarea", "filterable": False, "sortable": False},
        "AccountId": {
            "type": "reference",
            "referenceTo": ["Account"],
            "relationshipName": "Account",
        },
        "DoNotCall": {"type": "boolean"},
        "NumberOfKids__c": {"type": "int"},
        "Score__c": {"type": "double"},
        "Birthdate": {"type": "date"},
        "CreatedDate": {"type": "datetime"},
    },
    "User": {"Id": {"type": "id"}, "Name": {"type": "string"}},
}

ACCOUNT_ID = make_id("001", 1)
OTHER_ACCOUNT_ID = make_id("001", 2)
USER_ID = make_id("005", 1)


def fields_of(name: str) -> dict | None:
    canonical = fields_of.canonical_name(name)
    return SCHEMA[canonical] if canonical else None


def canonical_name(name: str) -> str | None:
    return next((known for known in SCHEMA if known.lower() == name.lower()), None)


fields_of.canonical_name = canonical_name

PARENTS = {
    ACCOUNT_ID: {"Id": ACCOUNT_ID, "Name": "Acme", "OwnerId": USER_ID},
    OTHER_ACCOUNT_ID: {"Id": OTHER_ACCOUNT_ID, "Name": "beta", "OwnerId": None},
    USER_ID: {"Id": USER_ID, "Name": "Olga Owner"},
}
PARENT_ID_FIELDS = {"Account": "AccountId", "Owner": "OwnerId"}


def get_parent(record: dict, relationship: str) -> dict | None:
    return PARENTS.get(record.get(PARENT_ID_FIELDS[relationship]))


def contact(serial: int, **values) -> dict:
    return {"Id": make_id("003", serial), **values}


def compile_(soql: str, **kwargs):
    return compile_query(soql, fields_of, **kwargs)


def run(soql: str, records: list[dict], **kwargs) -> list[dict]:
    return compile_(soql, **kwargs).run(records, get_parent)


def ids(records: list[dict]) -> list[str]:
    return [record["Id"] for record in records]


def error_of(soql: str) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        compile_(soql)
    return caught.value
