"""What an activity's history says about its writes: why it waits, how it was matched, and
an owner Salesforce does not know."""

from __future__ import annotations

from integrations.sync.activities.matching import Wanted

NO_OWNER = (
    "{email} has no active Salesforce user: written with the integration user as owner. "
    "Add the user in Salesforce (same email) to make them the owner of what follows."
)


def waiting_message(wanted: Wanted) -> str:
    looked_for = [
        f"no Contact or Lead with the email {wanted.email}" if wanted.email else "",
        f"no Account named “{wanted.company}”" if wanted.company else "",
    ]
    missing = " and ".join(text for text in looked_for if text) or (
        "nothing to match: it names no email and no company"
    )
    return (
        f"Waiting for a match: Salesforce has {missing}. It is written automatically as soon "
        "as one appears, or match it by hand in the unresolved activities report."
    )


def matched_message(record) -> str:
    if not record.matched_by:
        return ""
    return f"On the {record.get_matched_by_display()}."
