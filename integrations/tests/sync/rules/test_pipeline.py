"""Which stages a pipeline holds, and where a won deal's value is read from."""

import pytest

from integrations.sync.rules.pipeline import (
    Stage,
    currency_field_names,
    open_stage_names,
    pipeline_stage_names,
    won_value_source,
)

# An org's own stages, in its order; a closed stage between open ones, as Setup allows.
STAGES = [
    Stage("Lead", closed=False),
    Stage("Discovery", closed=False),
    Stage("Lost early", closed=True),
    Stage("Proposal", closed=False),
    Stage("Signed", closed=True),
]


def test_the_pipeline_holds_the_open_stages_from_the_threshold_on():
    assert pipeline_stage_names(threshold="Discovery", stages=STAGES) == ["Discovery", "Proposal"]
    assert pipeline_stage_names(threshold="Proposal", stages=STAGES) == ["Proposal"]


def test_not_sure_is_every_open_stage():
    assert pipeline_stage_names(threshold="not_sure", stages=STAGES) is None


@pytest.mark.parametrize("threshold", ["Signed", "Negotiation", "discovery"])
def test_a_threshold_that_is_no_open_stage_is_refused(threshold):
    with pytest.raises(ValueError, match="not an open Opportunity stage"):
        pipeline_stage_names(threshold=threshold, stages=STAGES)


def test_open_stages_keep_the_org_order():
    assert open_stage_names(STAGES) == ["Lead", "Discovery", "Proposal"]


def test_the_won_value_comes_from_amount_unless_a_field_is_chosen():
    assert won_value_source("not_sure") == "Amount"
    assert won_value_source("Won_Value__c") == "Won_Value__c"


def test_currency_fields_start_with_amount():
    fields = {
        "Booked__c": {"type": "currency"},
        "Name": {"type": "string"},
        "Amount": {"type": "currency"},
        "Margin__c": {"type": "percent"},
        "Expected__c": {"type": "currency"},
    }

    assert currency_field_names(fields) == ["Amount", "Booked__c", "Expected__c"]
