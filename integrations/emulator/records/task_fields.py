"""Custom Activity fields the emulated org has set up for DocSend-style tracking on Task.

An admin who stores activity data in custom Task fields creates them on the Activity object
(Setup → Object Manager → Activity), so they are custom fields (`__c`) of Task. Besides the
fields the attributes of visits, links and rooms fit, there is a read-only formula field and a
date field, which the activity field map must refuse.
"""

from .schema import Field

ENGAGEMENT_SCORE = "Engagement_Score__c"
ENGAGEMENT_FORMULA = "Duration_Seconds__c * Percent_Viewed__c / 100"


def _custom(name: str, label: str, kind: str, length: int = 0, **options) -> Field:
    return Field(name, label, kind, length=length, custom=True, **options)


def tracking_task_fields() -> list[Field]:
    return [
        _custom("Document_Name__c", "Document Name", "string", 255),
        _custom("Account_Name__c", "Account Name", "string", 255),
        _custom("Duration_Seconds__c", "Duration (seconds)", "double", precision=18, scale=0),
        _custom("Percent_Viewed__c", "Percent Viewed", "percent", precision=5, scale=2),
        _custom("Statistics_URL__c", "Statistics URL", "url", 255),
        _custom("Visitor_Email__c", "Visitor Email", "email", 80),
        _custom("Document_URL__c", "Document URL", "url", 255),
        _custom("Internal_URL__c", "Internal URL", "url", 255),
        _custom("External_URL__c", "External URL", "url", 255),
        _custom("Visitors__c", "Visitors", "textarea", 32768),  # a Long Text Area
        _custom("Room_Name__c", "Room Name", "string", 255),
        _custom("Room_URL__c", "Room URL", "url", 255),
        _custom(ENGAGEMENT_SCORE, "Engagement Score", "double", precision=18, scale=2,
                createable=False, updateable=False, formula=ENGAGEMENT_FORMULA),
        _custom("Follow_Up_Date__c", "Follow-up Date", "date"),
    ]  # fmt: skip


def engagement_score(record: dict) -> float | None:
    """The formula field's value: blank when either operand is blank, as the formula's
    "treat blank fields as blanks" option does."""
    duration, percent = record.get("Duration_Seconds__c"), record.get("Percent_Viewed__c")
    if duration is None or percent is None:
        return None
    return round(duration * percent / 100, 2)
