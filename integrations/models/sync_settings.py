"""The sync settings console (HubSpot-style): one row of switches and policies, plus the
inclusion list's rules.

`SECTIONS` is the one list of the settings an admin edits: the console's sections, the form's
fields and the keys of a settings document (`crm_settings`) all come from it, and each key's
type and allowed values come from its model field. A new setting is a model field here plus
its name in one section.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from integrations.choices import ActivityStorage, InclusionMode, RuleOperator
from integrations.models.singleton import SingletonModel
from tracking.choices import ActivityKind, SalesforceObject

NOT_SURE = "not_sure"  # pipeline settings: every open opportunity; the Amount field


def default_write_back_items() -> list[str]:
    """Every kind of activity: Sales Navigator writes them all back unless told otherwise."""
    return list(ActivityKind.values)


class SyncSettings(SingletonModel):
    """The one row of sync settings."""

    sync_enabled = models.BooleanField(
        "sync with Salesforce",
        default=False,
        help_text="The master switch: when off, nothing is sent to or read from Salesforce.",
    )
    account_sync = models.BooleanField(
        default=False,
        help_text="Sync companies with Salesforce Accounts (both directions).",
    )
    opportunity_sync = models.BooleanField(
        default=False,
        help_text="Read Salesforce Opportunities (owner, close date, stage, amount) into here.",
    )
    task_sync = models.BooleanField(
        default=False,
        help_text="Write activities (visits, calls, messages) to Salesforce as Tasks.",
    )
    sync_visits = models.BooleanField(
        default=True,
        help_text="Write every document visit as a completed Task (needs task sync).",
    )
    sync_links = models.BooleanField(
        default=True,
        help_text="Write every document link created as a Task on its Account (needs task sync).",
    )
    sync_rooms = models.BooleanField(
        default=True,
        help_text="Write every room link created as a Task on its Account (needs task sync).",
    )
    unmatched_create_leads = models.BooleanField(
        "create new Leads for unmatched emails",
        default=False,
        help_text=(
            "A visitor whose email matches no Contact or Lead (and whose company matches no "
            "Account) becomes a new Lead, and the visit's Task goes on it."
        ),
    )
    unmatched_create_open_tasks = models.BooleanField(
        "create open Tasks for records without a match",
        default=False,
        help_text=(
            "A visit that matches nothing becomes an open follow-up Task assigned to the link's "
            "owner. Otherwise it waits in the unresolved activities report and is written as "
            "soon as a matching record appears."
        ),
    )
    write_back = models.BooleanField(
        "sync data back to your CRM",
        default=False,
        help_text=(
            "Write sales users' InMails, messages, notes and calls to Salesforce (needs task "
            "sync): the kinds chosen below, plus any item marked “Copy to CRM”."
        ),
    )
    write_back_items = models.JSONField(
        "activities to write back",
        default=default_write_back_items,
        blank=True,
        help_text='Which kinds are written back: any of "inmail", "message", "note", "call".',
    )
    inclusion_mode = models.CharField(
        "inclusion list",
        max_length=8,
        choices=InclusionMode.choices,
        default=InclusionMode.NONE,
        help_text=(
            "Which contacts go to Salesforce. Not every new contact is a qualified lead: "
            "rules keep Salesforce free of contacts sales should not call yet."
        ),
    )
    activity_storage = models.CharField(
        "store activity data in",
        max_length=16,
        choices=ActivityStorage.choices,
        default=ActivityStorage.DESCRIPTION,
        help_text="Where activity details go on the Salesforce Task.",
    )
    activity_field_map = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'For "mapped custom Task fields": per kind (visits, links, rooms), attribute → '
            'Task field, e.g. {"visits": {"duration_seconds": "Duration__c", '
            '"percent_viewed": "Percent_Viewed__c"}}. Unmapped attributes go into the '
            "Description."
        ),
    )
    create_from_leads = models.BooleanField(
        "new Salesforce Leads create contacts",
        default=True,
        help_text="A Lead created in Salesforce creates a contact here.",
    )
    create_from_contacts = models.BooleanField(
        "new Salesforce Contacts create contacts",
        default=True,
        help_text="A Contact created in Salesforce creates a contact here.",
    )
    new_record_type = models.CharField(
        "new record type",
        max_length=8,
        choices=SalesforceObject.choices,
        default=SalesforceObject.LEAD,
        help_text=(
            "What a contact created here becomes in Salesforce when no Contact or Lead has its "
            "email. Contacts are visible to their owner and above in the role hierarchy only: "
            "check your org's sharing settings."
        ),
    )
    lifecycle_on_closed_won = models.BooleanField(
        "automatic lifecycle stage transitions",
        default=True,
        help_text="When an Opportunity is Closed Won, its contacts become customers here.",
    )
    state_country_picklists = models.BooleanField(
        "state and country picklists",
        default=False,
        help_text=(
            "Turn on when your org uses state and country picklists: CRM Bridge then sends ISO "
            "codes (e.g. 'USA' and 'Vereinigte Staaten' become US)."
        ),
    )
    delete_on_lead_deleted = models.BooleanField(
        "delete contact when its Lead is deleted",
        default=False,
        help_text="Otherwise the contact is kept, unlinked and marked 'deleted in Salesforce'.",
    )
    delete_on_contact_deleted = models.BooleanField(
        "delete contact when its Contact is deleted",
        default=False,
        help_text="Otherwise the contact is kept, unlinked and marked 'deleted in Salesforce'.",
    )
    delete_brake_percent = models.PositiveIntegerField(
        "mass-delete brake: percent",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "A cycle that would delete more than this percentage of the linked contacts "
            "(because they were deleted in Salesforce) deletes nothing and waits for an admin."
        ),
    )
    delete_brake_count = models.PositiveIntegerField(
        "mass-delete brake: count",
        default=500,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=(
            "Or more than this many contacts, whichever is smaller. A single deletion never "
            "trips the brake."
        ),
    )
    quarantine_days = models.PositiveIntegerField(
        "quarantine (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=(
            "How long a contact deleted because of Salesforce stays restorable (Quarantine "
            "page, or by undeleting it in Salesforce) before it is purged."
        ),
    )
    sync_interval_minutes = models.PositiveIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text="How often the sync runs (minutes).",
    )
    seat_limit = models.PositiveIntegerField(
        "licences",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text="How many seats may be assigned; empty for no limit.",
    )
    auto_sync_seat_holders = models.BooleanField(
        "auto-sync all seat holders",
        default=True,
        help_text="Every seat holder's CRM work is synced; turn off to choose per seat.",
    )
    fallback_owner_id = models.CharField(
        "fallback owner",
        max_length=18,
        blank=True,
        help_text=(
            "The Salesforce user (an active one) who owns a record when Salesforce refuses its "
            "owner (inactive, or not a user); empty: the integration user owns it."
        ),
    )
    pipeline_stage = models.CharField(
        "pipeline stage",
        max_length=255,
        default=NOT_SURE,
        help_text=(
            "At which stage your sales team considers an opportunity to enter the pipeline "
            "(one of your org's Opportunity stages), or “not sure” for every open one."
        ),
    )
    won_value_field = models.CharField(
        "won value field",
        max_length=80,
        default=NOT_SURE,
        help_text=(
            "Where you store the value of a won opportunity: Amount or another currency "
            "field of Opportunity, or “not sure” for Amount."
        ),
    )
    # -- alerts (integrations.alerts): when the staff are emailed and the banner shows --
    alert_api_org_percent = models.PositiveSmallIntegerField(
        "alert at org API usage (%)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Alert when the org has used this much of its 24-hour API limit (all apps).",
    )
    alert_api_app_percent = models.PositiveSmallIntegerField(
        "alert at CRM Bridge's API share (%)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "Alert when CRM Bridge has used this much of the API cap set on the connection "
            "page (last 24 hours). No cap set: no alert."
        ),
    )
    alert_failed_cycles = models.PositiveSmallIntegerField(
        "alert after failed runs in a row",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Alert when this many sync runs in a row failed.",
    )
    alert_error_spike = models.PositiveIntegerField(
        "alert at record errors of one type per run",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=(
            "Alert when one sync run records more new errors than this with the same error "
            "code (a record failing again as it did in the run before is not new)."
        ),
    )
    alert_trigger_failures = models.PositiveSmallIntegerField(
        "alert after failed trigger deliveries in a row",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Alert when a survey trigger's last deliveries all failed, this many of them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sync settings"
        verbose_name_plural = "sync settings"

    def __str__(self) -> str:
        return "Sync settings"


@dataclass(frozen=True)
class SettingsSection:
    """One section of the settings page: a title, the fields in it and what it is for."""

    title: str
    fields: tuple[str, ...]
    description: str


SECTIONS = (
    SettingsSection("Sync with Salesforce", ("sync_enabled",),
        "Turn the integration off to pause it, e.g. while you change mappings; nothing is lost."),
    SettingsSection("Account and opportunity sync", ("account_sync", "opportunity_sync"),
        "Which Salesforce objects besides Leads and Contacts take part in the sync."),
    SettingsSection("Task sync",
        ("task_sync", "sync_visits", "sync_links", "sync_rooms", "unmatched_create_leads",
         "unmatched_create_open_tasks", "write_back", "write_back_items"),
        "Document visits, links and rooms, and sales users' InMails, messages, notes and "
        "calls, as Tasks and Notes in Salesforce. “Task sync” switches all of it."),
    SettingsSection("Inclusion list", ("inclusion_mode",),
        "Which contacts are sent to Salesforce. Contacts outside the list stay here only. Use "
        "“Preview” to see how many contacts match before you save."),
    SettingsSection("Activity data", ("activity_storage", "activity_field_map"),
        "Where the details of document visits, links and rooms are written on their Salesforce "
        "Task, so sales can see what a lead did: the Description, or custom Task fields."),
    SettingsSection("Records created in Salesforce", ("create_from_leads", "create_from_contacts"),
        "Which records created in Salesforce create a contact here. For a true two-way sync, "
        "tick both."),
    SettingsSection("New record type", ("new_record_type",),
        "What a contact created here becomes in Salesforce when no Contact or Lead has its "
        "email."),
    SettingsSection("Automatic lifecycle stage transitions", ("lifecycle_on_closed_won",),
        "When a sales rep marks an Opportunity Closed Won, its contacts become customers here."),
    SettingsSection("State and country picklists", ("state_country_picklists",),
        "Match your org: tick when State and Country are picklists in Salesforce (ISO codes)."),
    SettingsSection("Records deleted in Salesforce",
        ("delete_on_lead_deleted", "delete_on_contact_deleted", "delete_brake_percent",
         "delete_brake_count", "quarantine_days"),
        "What happens here when sales deletes a Lead or Contact in Salesforce. Deleted "
        "contacts stay in quarantine, restorable, for the chosen days; a mass deletion waits "
        "for an admin to confirm it."),
    SettingsSection("Seats", ("seat_limit", "auto_sync_seat_holders"),
        "Who may have their CRM work synced: one seat per sales user, linked to their "
        "Salesforce user."),
    SettingsSection("Record owners", ("fallback_owner_id",),
        "A contact created in Salesforce from here is owned by its owner's Salesforce user. "
        "When Salesforce refuses a record's owner (inactive, or not a user), the record is "
        "written once more with the fallback owner, and its history says so."),
    SettingsSection("Pipeline", ("pipeline_stage", "won_value_field"),
        "Which opportunities of seat holders are imported with their Accounts and Contacts, "
        "and where a won opportunity's value is."),
    SettingsSection("Sync interval", ("sync_interval_minutes",),
        "How often the scheduled sync runs (a django-q2 schedule named “salesforce-sync”)."),
    SettingsSection("Alerts",
        ("alert_api_org_percent", "alert_api_app_percent", "alert_failed_cycles",
         "alert_error_spike", "alert_trigger_failures"),
        "When the staff get an email and every console page shows a banner. An alert clears "
        "itself when its condition is over."),
)  # fmt: skip
SETTING_NAMES = tuple(name for section in SECTIONS for name in section.fields)


class InclusionRule(models.Model):
    """One condition of the inclusion list: contact field, operator, value."""

    settings = models.ForeignKey(SyncSettings, on_delete=models.CASCADE, related_name="rules")
    field = models.CharField(
        max_length=64,
        help_text="A contact field (e.g. lifecycle_stage, country) or properties.<key>.",
    )
    operator = models.CharField(max_length=16, choices=RuleOperator.choices)
    value = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.field} {self.get_operator_display()} {self.value}".strip()
