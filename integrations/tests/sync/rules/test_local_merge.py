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
    """A contact as it was synced: `sync_values` hold what was sent, then local edits."""

    title: str = ""
    phone: str = ""
    email: str = ""
    company: str = ""
    properties: dict = field(default_factory=dict)
    local_modified_at: datetime | None = None
    salesforce_id: str = "003000000000001AAA"
    sync_values: dict = field(default_factory=dict)

    def edited(self, when, **changes):
        """The same record changed here after its sync."""
        self.sync_values = {item.salesforce: getattr(self, item.local, None) or None
                            for item in MAPS if "." not in item.local}  # fmt: skip
        self.sync_values["Tier__c"] = self.properties.get("tier")
        for name, value in changes.items():
            setattr(self, name, value)
        self.local_modified_at = when
        return self


def taken(survivor, loser):
    return values_taken(survivor=survivor, loser=loser, maps=MAPS, sobject="Contact",
                        fillable=["company", "properties"], kept=["email"])  # fmt: skip


def test_a_field_changed_here_and_not_sent_yet_is_taken():
    survivor = Record(title="Engineer", properties={"tier": "silver"}).edited(EARLIER)
    loser = Record(title="Engineer", properties={"tier": "gold"}).edited(LATER, title="CTO")

    assert taken(survivor, loser) == {"title": "CTO"}  # the tier was sent: the merge decided


def test_the_later_of_two_unsent_changes_of_a_field_wins():
    survivor = Record(title="A").edited(LATER, title="Survivor's")
    loser = Record(title="B").edited(EARLIER, title="Loser's")

    assert taken(survivor, loser) == {}
    assert taken(loser, survivor) == {"title": "Survivor's"}


def test_values_salesforce_had_already_stay_as_the_merge_there_decided():
    survivor = Record(title="").edited(EARLIER)
    loser = Record(title="Sent").edited(LATER)

    assert taken(survivor, loser) == {}


def test_salesforce_wins_fields_and_the_email_stay_the_survivors():
    survivor = Record()
    loser = Record().edited(LATER, phone="+1 555", email="b@example.com")

    assert taken(survivor, loser) == {}


def test_unmapped_fields_fill_blanks_and_properties_are_joined():
    survivor = Record(company="", properties={"plan": "pro"})
    loser = Record(company="Acme", properties={"plan": "free", "seats": 3}).edited(
        LATER, properties={"plan": "free", "seats": 3, "tier": "gold"}
    )

    assert taken(survivor, loser) == {
        "company": "Acme",
        "properties": {"plan": "pro", "seats": 3, "tier": "gold"},
        "properties.tier": "gold",
    }
