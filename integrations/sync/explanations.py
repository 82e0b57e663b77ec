"""The sync's facts behind tracking's one-sentence explanations (tracking/hooks.py
`SyncFacts`; registered in `IntegrationsConfig.ready`).

For a page of records it reads only what their states need, a fixed number of queries
however many records: the field mappings' rules (synced people and companies), the schedule
and the connection's pause (waiting records), and which inclusion rule left each contact out
(one query for all of them, one flag per rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db.models import BooleanField, Case, Model, Value, When

from integrations.choices import InclusionMode, MappingRule
from integrations.models import FieldMapping, SalesforceConnection, SyncSettings
from integrations.schedules import sync_schedule
from integrations.sync.rules.inclusion import inclusion_q, rule_words
from tracking.choices import NotSentReason, SyncState
from tracking.hooks import SyncFacts
from tracking.models import Company, Contact

# How each mapping rule decided a field, in the words of "Salesforce won Phone (…)".
RULE_WORDS = {
    MappingRule.TWO_WAY: "two-way, most recent wins",
    MappingRule.PREFER_SALESFORCE: "Salesforce's value unless blank",
    MappingRule.ALWAYS_SALESFORCE: "always Salesforce",
    MappingRule.TO_SALESFORCE: "to Salesforce only",
}
MAPPED_MODELS = (Contact, Company)


def sync_facts(
    model: type[Model], states: Mapping[int, SyncState], not_sent: Mapping[int, NotSentReason]
) -> SyncFacts:
    """What the sync knows that explains these records' states (see the module docstring)."""
    present = set(states.values())
    waiting = _waiting_facts() if SyncState.PENDING in present else {}
    outside = [
        pk
        for pk, reason in not_sent.items()
        if reason == NotSentReason.OUTSIDE_INCLUSION_LIST and states.get(pk) == SyncState.NOT_SENT
    ]
    return SyncFacts(
        field_rules=_field_rules()
        if SyncState.SYNCED in present and model in MAPPED_MODELS
        else {},
        not_sent_details=_excluded_by(outside) if model is Contact and outside else {},
        **waiting,
    )


def _field_rules() -> dict[tuple[str, str], str]:
    """(Salesforce object, local or Salesforce field name) → its rule in words."""
    rules = {}
    for mapping in FieldMapping.objects.exclude(rule=MappingRule.OFF):
        words = RULE_WORDS[MappingRule(mapping.rule)]
        rules[(mapping.salesforce_object, mapping.salesforce_field)] = words
        rules[(mapping.salesforce_object, mapping.local_field)] = words
    return rules


def _waiting_facts() -> dict[str, datetime | int | str | None]:
    """When the next run is due, and whether Salesforce calls are paused, until when and why."""
    connection = SalesforceConnection.load()
    schedule = sync_schedule()
    paused = connection.is_paused
    return {
        "next_run_at": schedule.next_run if schedule else None,
        "interval_minutes": schedule.minutes if schedule else None,
        "paused_until": connection.paused_until if paused else None,
        "pause_reason": connection.last_error if paused else "",
    }


def _excluded_by(pks: list[int]) -> dict[int, str]:
    """Each contact's inclusion rule that left it out, in words."""
    settings = SyncSettings.load()
    rules = list(settings.rules.all())
    if settings.inclusion_mode == InclusionMode.ANY:
        return dict.fromkeys(pks, _none_match(rules))
    if settings.inclusion_mode != InclusionMode.ALL or not rules:
        return {}
    flags = {
        f"rule_{index}": Case(
            When(inclusion_q(mode=InclusionMode.ALL, rules=[rule]), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for index, rule in enumerate(rules)
    }
    rows = Contact.objects.filter(pk__in=pks).annotate(**flags).values_list("pk", *flags)
    details = {}
    for pk, *matches in rows:
        failing = next(
            (rule for rule, match in zip(rules, matches, strict=True) if not match), None
        )
        if failing is not None:
            details[pk] = f"the rule “{rule_words(failing)}” does not match"
    return details


def _none_match(rules: list) -> str:
    if not rules:
        return "the list lets contacts matching any of its rules through, and it has none"
    if len(rules) == 1:
        return f"the rule “{rule_words(rules[0])}” does not match"
    return "none of its rules match (" + ", ".join(f"“{rule_words(r)}”" for r in rules) + ")"
