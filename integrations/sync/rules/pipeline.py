"""The pipeline settings as decisions: which stages are in a seat holder's pipeline, and which
Opportunity field holds a won deal's value.

An opportunity enters the pipeline at the stage the settings name and stays in it at every
later open stage, in the org's order (OpportunityStage's SortOrder): nothing here knows a
stage by name. "Not sure" means every open opportunity, and Amount for the won value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from integrations.models.sync_settings import NOT_SURE

AMOUNT = "Amount"


@dataclass(frozen=True)
class Stage:
    """One active Opportunity stage of the org: its API name (StageName's value)."""

    name: str
    closed: bool


def open_stage_names(stages: Sequence[Stage]) -> list[str]:
    """The open stages, in the org's order (the stages a pipeline may start at)."""
    return [stage.name for stage in stages if not stage.closed]


def pipeline_stage_names(*, threshold: str, stages: Sequence[Stage]) -> list[str] | None:
    """The open stages at or beyond `threshold`, in the org's order; None for every open one
    ("not sure"). ValueError when `threshold` is not one of the org's open stages."""
    if threshold == NOT_SURE:
        return None
    names = open_stage_names(stages)
    if threshold not in names:
        raise ValueError(f"{threshold!r} is not an open Opportunity stage of the org")
    return names[names.index(threshold) :]


def won_value_source(setting: str) -> str:
    """The Opportunity field a won deal's value is read from."""
    return AMOUNT if setting == NOT_SURE else setting


def currency_field_names(fields: dict[str, dict]) -> list[str]:
    """Opportunity's currency fields in a describe(), Amount first."""
    names = [name for name, field in fields.items() if field.get("type") == "currency"]
    return sorted(names, key=lambda name: (name != AMOUNT, names.index(name)))
