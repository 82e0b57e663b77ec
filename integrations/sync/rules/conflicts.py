"""Deciding, field by field, whether a value read from Salesforce replaces the local one.

Pure logic, no I/O. `last` holds the values both sides last agreed on (`sync_values`): a
Salesforce value equal to it is not a change (that is how a value we wrote never comes back
as one: no echo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from integrations.choices import MappingRule
from integrations.sync.rules.fields import MISSING, as_salesforce, same


@dataclass(frozen=True)
class Decision:
    apply: bool  # write Salesforce's value into the local record
    push: bool  # keep the local value and send it to Salesforce on the next push


KEEP = Decision(apply=False, push=False)


def decide(
    *,
    rule: str,
    salesforce_value: Any,
    local_value: Any,
    last: Any = MISSING,
    local_modified_at: datetime | None,
    salesforce_modified_at: datetime | None,
    case_insensitive: bool = False,
) -> Decision:
    """What to do with one field of one record that Salesforce sent."""
    fold = case_insensitive
    if last is not MISSING and same(salesforce_value, last, case_insensitive=fold):
        return KEEP  # Salesforce did not change it since we last agreed
    if same(salesforce_value, local_value, case_insensitive=fold):
        return KEEP  # both sides already agree
    if rule == MappingRule.ALWAYS_SALESFORCE:
        return Decision(apply=True, push=False)
    if rule == MappingRule.PREFER_SALESFORCE:
        if as_salesforce(salesforce_value) is None:
            return Decision(apply=False, push=True)
        return Decision(apply=True, push=False)
    if rule == MappingRule.TWO_WAY:
        changed_here = last is MISSING or not same(local_value, last, case_insensitive=fold)
        local_newer = bool(
            changed_here
            and as_salesforce(local_value) is not None
            and local_modified_at
            and (salesforce_modified_at is None or local_modified_at > salesforce_modified_at)
        )
        return Decision(apply=not local_newer, push=local_newer)
    return KEEP  # to_salesforce and off never read
