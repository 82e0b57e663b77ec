"""Which values a local record takes from the one merged into it, by field rule."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from integrations.choices import MappingRule
from integrations.sync.rules.fields import FieldMap
from integrations.sync.rules.local_merge import values_taken

EARLIER = datetime(2030, 1, 1, tzinfo=UTC)
LATER = EARLIER + timedelta(hours=1)
MAPS = [
    FieldMap("title", "Title", MappingRule.TWO_WAY),
    FieldMap("phone", "Phone", MappingRule.ALWAYS_SALESFORCE),
    FieldMap("email", "Email", MappingRule.TWO_WAY),
    FieldMap("properties.tier", "Tier__c", MappingRule.TWO_WAY),
]


@dataclass
class Record:
    title: str = ""
    phone: str = ""
    email: str = ""
    company: str = ""
    properties: dict = field(default_factory=dict)
    local_modified_at: datetime | None = None
    updated_at: datetime | None = EARLIER


def taken(survivor, loser):
    return values_taken(survivor=survivor, loser=loser, maps=MAPS,
                        fillable=["company", "properties"], kept=["email"])  # fmt: skip


def test_the_more_recent_local_change_wins_two_way_fields():
    survivor = Record(title="Old", local_modified_at=EARLIER)
    loser = Record(title="New", local_modified_at=LATER)

    assert taken(survivor, loser) == {"title": "New"}
    assert taken(loser, survivor) == {}


def test_an_older_value_only_fills_a_blank():
    survivor = Record(title="", local_modified_at=LATER)
    loser = Record(title="Filled", local_modified_at=EARLIER)

    assert taken(survivor, loser) == {"title": "Filled"}
    assert taken(Record(title="Kept", local_modified_at=LATER), loser) == {}


def test_salesforce_wins_fields_and_the_email_stay_the_survivors():
    survivor = Record(phone="", email="a@example.com", local_modified_at=EARLIER)
    loser = Record(phone="+1 555", email="b@example.com", local_modified_at=LATER)

    assert taken(survivor, loser) == {}


def test_unmapped_fields_fill_blanks_and_properties_are_joined():
    survivor = Record(company="", properties={"plan": "pro"}, local_modified_at=LATER)
    loser = Record(company="Acme", properties={"plan": "free", "seats": 3, "tier": "gold"},
                   local_modified_at=EARLIER)  # fmt: skip

    assert taken(survivor, loser) == {
        "company": "Acme",
        "properties": {"plan": "pro", "seats": 3, "tier": "gold"},
        "properties.tier": "gold",
    }


def test_without_local_changes_the_last_write_decides():
    survivor = Record(title="Mine", updated_at=LATER)
    loser = Record(title="Theirs", updated_at=EARLIER)

    assert taken(survivor, loser) == {}
