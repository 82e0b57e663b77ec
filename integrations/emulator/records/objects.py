"""The emulated org's objects and their standard fields, as a default Salesforce org has them.

Only the fields a CRM sync touches are declared, with Salesforce's names, types, lengths and
permissions; `catalog.build_schema` puts them together with the content objects
(`content.py`) and Task's custom tracking fields (`task_fields.py`), adds the state/country
code picklists when that org setting is on, and leaves out Task's external-id field for an org
that has not created it.
"""

from collections.abc import Sequence
from dataclasses import replace

from . import geo
from .schema import Field, PicklistValue, SObjectType

EXTERNAL_ID_FIELD = "CRMBridge_Id__c"
# A custom currency field of Opportunity, as an org keeping a won deal's value apart from its
# Amount has (the pipeline setting "where do you store the value for a won opportunity?").
WON_VALUE_FIELD = "Won_Value__c"
CONVERTED_LEAD_STATUS = "Closed - Converted"

# (stage, default probability, closed, won, forecast category)
STAGES = (
    ("Prospecting", 10, False, False, "Pipeline"),
    ("Qualification", 10, False, False, "Pipeline"),
    ("Needs Analysis", 20, False, False, "Pipeline"),
    ("Value Proposition", 50, False, False, "Pipeline"),
    ("Id. Decision Makers", 60, False, False, "Pipeline"),
    ("Perception Analysis", 70, False, False, "Pipeline"),
    ("Proposal/Price Quote", 75, False, False, "Pipeline"),
    ("Negotiation/Review", 90, False, False, "Pipeline"),
    ("Closed Won", 100, True, True, "Closed"),
    ("Closed Lost", 0, True, False, "Omitted"),
)
LEAD_STATUSES = (
    ("Open - Not Contacted", False),
    ("Working - Contacted", False),
    (CONVERTED_LEAD_STATUS, True),
    ("Closed - Not Converted", False),
)
TASK_SUBTYPES = ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")
TASK_STATUSES = (
    ("Not Started", False),
    ("In Progress", False),
    ("Completed", True),
    ("Waiting on someone else", False),
    ("Deferred", False),
)
INDUSTRIES = (
    "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
    "Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering",
    "Entertainment", "Environmental", "Finance", "Food & Beverage", "Government", "Healthcare",
    "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit",
    "Recreation", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation",
    "Utilities", "Other",
)  # fmt: skip
LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
ACCOUNT_TYPES = (
    "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
    "Installation Partner", "Technology Partner", "Other",
)  # fmt: skip
# (status, closed)
CASE_STATUSES = (("New", False), ("Working", False), ("Escalated", False), ("Closed", True))
CONTACT_ROLES = (
    "Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Evaluator",
    "Executive Sponsor", "Influencer", "Technical Buyer", "Other",
)  # fmt: skip


def _values(values, default=None, **attributes_of) -> tuple[PicklistValue, ...]:
    return tuple(
        PicklistValue(value, default=value == default, attributes=attributes_of.get(value, {}))
        for value in values
    )


def text(name, label, length, **options) -> Field:
    return Field(name, label, "string", length=length, **options)


def textarea(name, label, length=32000) -> Field:
    return Field(name, label, "textarea", length=length)


def typed(kind, name, label, length=0, **options) -> Field:
    return Field(name, label, kind, length=length, **options)


def picklist(name, label, values, **options) -> Field:
    return Field(name, label, "picklist", length=255, picklist=_values(values), **options)


def boolean(name, label, *, default=False, writable=True) -> Field:
    return Field(
        name, label, "boolean", nillable=False, defaulted_on_create=True, default=default,
        createable=writable, updateable=writable,
    )  # fmt: skip


def reference(name, label, to, relationship, **options) -> Field:
    return Field(
        name, label, "reference", length=18, reference_to=tuple(to),
        relationship_name=relationship, **options,
    )  # fmt: skip


def read_only(field: Field, **options) -> Field:
    return replace(field, createable=False, updateable=False, **options)


def audit_fields() -> list[Field]:
    return [
        read_only(typed("datetime", "CreatedDate", "Created Date"), nillable=False),
        read_only(reference("CreatedById", "Created By ID", ["User"], "CreatedBy"), nillable=False),
        read_only(typed("datetime", "LastModifiedDate", "Last Modified Date"), nillable=False),
        read_only(
            reference("LastModifiedById", "Last Modified By ID", ["User"], "LastModifiedBy"),
            nillable=False,
        ),
        read_only(typed("datetime", "SystemModstamp", "System Modstamp"), nillable=False),
    ]


def identity_fields() -> list[Field]:
    return [
        Field("Id", "Record ID", "id", length=18, nillable=False, createable=False,
              updateable=False, id_lookup=True, defaulted_on_create=True),
        boolean("IsDeleted", "Deleted", writable=False),
    ]  # fmt: skip


def master_record_field(obj: str) -> Field:
    """Set on a record deleted because it lost a merge: the record it was merged into."""
    return read_only(reference("MasterRecordId", "Master Record ID", [obj], "MasterRecord"))


def owner_field() -> Field:
    return reference(
        "OwnerId", "Owner ID", ["User"], "Owner", nillable=False, defaulted_on_create=True
    )


def external_id_field() -> Field:
    return text(
        EXTERNAL_ID_FIELD, "CRM Bridge ID", 64, external_id=True, id_lookup=True, unique=True,
        custom=True,
    )  # fmt: skip


def address_fields(prefix: str, label: str, picklists: bool) -> list[Field]:
    label = f"{label} " if label else ""
    fields = [
        textarea(f"{prefix}Street", f"{label}Street", 255),
        text(f"{prefix}City", f"{label}City", 40),
        text(f"{prefix}State", f"{label}State/Province", 80),
        text(f"{prefix}PostalCode", f"{label}Zip/Postal Code", 20),
        text(f"{prefix}Country", f"{label}Country", 80),
    ]
    if picklists:
        # Not restricted picklists: unknown codes are FIELD_INTEGRITY_EXCEPTION (see geo.py).
        fields += [
            Field(f"{prefix}StateCode", f"{label}State/Province Code", "picklist", length=255,
                  picklist=geo.state_picklist(), controller_name=f"{prefix}CountryCode"),
            Field(f"{prefix}CountryCode", f"{label}Country Code", "picklist", length=255,
                  picklist=geo.country_picklist()),
        ]  # fmt: skip
    return fields


def person_name_fields() -> list[Field]:
    return [
        picklist("Salutation", "Salutation", ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")),
        text("FirstName", "First Name", 40),
        text("LastName", "Last Name", 80, nillable=False),
        read_only(text("Name", "Full Name", 121, name_field=True)),
    ]


def make_object(name, label, plural, prefix, fields, **options) -> SObjectType:
    return SObjectType(name, label, plural, prefix, {spec.name: spec for spec in fields}, **options)


def account(picklists: bool) -> SObjectType:
    return make_object("Account", "Account", "Accounts", "001", [
        *identity_fields(),
        master_record_field("Account"),
        text("Name", "Account Name", 255, nillable=False, id_lookup=True, name_field=True),
        picklist("Type", "Account Type", ACCOUNT_TYPES),
        reference("ParentId", "Parent Account ID", ["Account"], "Parent"),
        *address_fields("Billing", "Billing", picklists),
        typed("phone", "Phone", "Account Phone", 40),
        typed("url", "Website", "Website", 255),
        picklist("Industry", "Industry", INDUSTRIES),
        typed("int", "NumberOfEmployees", "Employees", precision=8),
        typed("currency", "AnnualRevenue", "Annual Revenue", precision=18),
        picklist("AccountSource", "Account Source", LEAD_SOURCES),
        textarea("Description", "Account Description"),
        owner_field(),
        *audit_fields(),
        external_id_field(),
    ])  # fmt: skip


def contact(picklists: bool) -> SObjectType:
    return make_object("Contact", "Contact", "Contacts", "003", [
        *identity_fields(),
        master_record_field("Contact"),
        reference("AccountId", "Account ID", ["Account"], "Account"),
        *person_name_fields(),
        *address_fields("Mailing", "Mailing", picklists),
        typed("phone", "Phone", "Business Phone", 40),
        typed("phone", "MobilePhone", "Mobile Phone", 40),
        typed("email", "Email", "Email", 80, id_lookup=True),
        text("Title", "Title", 128),
        text("Department", "Department", 80),
        typed("date", "Birthdate", "Birthdate"),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        boolean("HasOptedOutOfEmail", "Email Opt Out"),
        textarea("Description", "Contact Description"),
        owner_field(),
        *audit_fields(),
        external_id_field(),
    ])  # fmt: skip


def lead(picklists: bool) -> SObjectType:
    statuses = tuple(
        PicklistValue(status, default=index == 0, attributes={"converted": converted})
        for index, (status, converted) in enumerate(LEAD_STATUSES)
    )
    return make_object("Lead", "Lead", "Leads", "00Q", [
        *identity_fields(),
        master_record_field("Lead"),
        *person_name_fields(),
        text("Title", "Title", 128),
        text("Company", "Company", 255, nillable=False),
        *address_fields("", "", picklists),
        typed("phone", "Phone", "Phone", 40),
        typed("phone", "MobilePhone", "Mobile Phone", 40),
        typed("email", "Email", "Email", 80, id_lookup=True),
        typed("url", "Website", "Website", 255),
        textarea("Description", "Description"),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        Field("Status", "Lead Status", "picklist", length=255, picklist=statuses,
              restricted_picklist=True, nillable=False, defaulted_on_create=True,
              default=LEAD_STATUSES[0][0]),
        picklist("Industry", "Industry", INDUSTRIES),
        picklist("Rating", "Rating", ("Hot", "Warm", "Cold")),
        typed("currency", "AnnualRevenue", "Annual Revenue", precision=18),
        typed("int", "NumberOfEmployees", "Employees", precision=8),
        boolean("HasOptedOutOfEmail", "Email Opt Out"),
        owner_field(),
        boolean("IsConverted", "Converted", writable=False),
        read_only(typed("date", "ConvertedDate", "Converted Date")),
        read_only(reference("ConvertedAccountId", "Converted Account ID", ["Account"],
                            "ConvertedAccount")),
        read_only(reference("ConvertedContactId", "Converted Contact ID", ["Contact"],
                            "ConvertedContact")),
        read_only(reference("ConvertedOpportunityId", "Converted Opportunity ID", ["Opportunity"],
                            "ConvertedOpportunity")),
        *audit_fields(),
        external_id_field(),
    ])  # fmt: skip


def stage_values() -> tuple[PicklistValue, ...]:
    return tuple(
        PicklistValue(name, attributes={"probability": probability, "closed": closed, "won": won})
        for name, probability, closed, won, _forecast in STAGES
    )


def opportunity() -> SObjectType:
    return make_object("Opportunity", "Opportunity", "Opportunities", "006", [
        *identity_fields(),
        reference("AccountId", "Account ID", ["Account"], "Account"),
        text("Name", "Name", 120, nillable=False, name_field=True),
        textarea("Description", "Description"),
        Field("StageName", "Stage", "picklist", length=255, picklist=stage_values(),
              restricted_picklist=True, nillable=False),
        typed("currency", "Amount", "Amount", precision=18, scale=2),
        typed("currency", WON_VALUE_FIELD, "Won Value", precision=16, scale=2, custom=True),
        typed("percent", "Probability", "Probability (%)", precision=3, defaulted_on_create=True),
        typed("date", "CloseDate", "Close Date", nillable=False),
        picklist("Type", "Opportunity Type", (
            "Existing Customer - Upgrade", "Existing Customer - Replacement",
            "Existing Customer - Downgrade", "New Customer",
        )),
        text("NextStep", "Next Step", 255),
        picklist("LeadSource", "Lead Source", LEAD_SOURCES),
        boolean("IsClosed", "Closed", writable=False),
        boolean("IsWon", "Won", writable=False),
        owner_field(),
        *audit_fields(),
    ])  # fmt: skip


def opportunity_contact_role() -> SObjectType:
    return make_object(
        "OpportunityContactRole", "Opportunity Contact Role", "Opportunity Contact Role", "00K", [
            *identity_fields(),
            reference("OpportunityId", "Opportunity ID", ["Opportunity"], "Opportunity",
                      nillable=False, updateable=False),
            reference("ContactId", "Contact ID", ["Contact"], "Contact", nillable=False),
            picklist("Role", "Role", CONTACT_ROLES),
            boolean("IsPrimary", "Primary"),
            *audit_fields(),
        ],
    )  # fmt: skip


def opportunity_stage() -> SObjectType:
    return make_object(
        "OpportunityStage", "Opportunity Stage", "Opportunity Stages", "01J", [
            *identity_fields(),
            read_only(text("MasterLabel", "Master Label", 255)),
            read_only(text("ApiName", "Api Name", 255)),
            boolean("IsActive", "Active", writable=False),
            read_only(typed("int", "SortOrder", "Sort Order", precision=9)),
            boolean("IsClosed", "Closed", writable=False),
            boolean("IsWon", "Won", writable=False),
            read_only(typed("percent", "DefaultProbability", "Probability (%)", precision=3)),
            read_only(picklist("ForecastCategoryName", "Forecast Category",
                               ("Pipeline", "Best Case", "Commit", "Omitted", "Closed"))),
            *audit_fields(),
        ],
        createable=False, updateable=False, deletable=False,
    )  # fmt: skip


def task(*, external_id: bool = True, custom_fields: Sequence[Field] = ()) -> SObjectType:
    statuses = tuple(
        PicklistValue(status, default=index == 0, attributes={"closed": closed})
        for index, (status, closed) in enumerate(TASK_STATUSES)
    )
    priorities = _values(("High", "Normal", "Low"), default="Normal")
    return make_object("Task", "Task", "Tasks", "00T", [
        *identity_fields(),
        reference("WhoId", "Name ID", ["Contact", "Lead"], "Who"),
        reference("WhatId", "Related To ID", ["Account", "Opportunity"], "What"),
        text("Subject", "Subject", 255),
        typed("date", "ActivityDate", "Due Date Only"),
        Field("Status", "Status", "picklist", length=255, picklist=statuses,
              restricted_picklist=True, nillable=False, defaulted_on_create=True,
              default=TASK_STATUSES[0][0]),
        Field("Priority", "Priority", "picklist", length=255, picklist=priorities,
              restricted_picklist=True, nillable=False, defaulted_on_create=True,
              default="Normal"),
        picklist("Type", "Type", ("Call", "Email", "Meeting", "Other")),
        # Set when the task is created, never changed afterwards (Create, no Update).
        Field("TaskSubtype", "Task Subtype", "picklist", length=255,
              picklist=_values(TASK_SUBTYPES), restricted_picklist=True, updateable=False),
        typed("int", "CallDurationInSeconds", "Call Duration", precision=8),
        picklist("CallType", "Call Type", ("Internal", "Inbound", "Outbound"),
                 restricted_picklist=True),
        textarea("Description", "Description"),
        boolean("IsClosed", "Closed", writable=False),
        owner_field(),
        *audit_fields(),
        *([external_id_field()] if external_id else []),
        *custom_fields,
    ])  # fmt: skip


def note() -> SObjectType:
    return make_object("Note", "Note", "Notes", "002", [
        *identity_fields(),
        reference("ParentId", "Parent ID", ["Account", "Contact", "Lead", "Opportunity"],
                  "Parent", nillable=False, updateable=False),
        text("Title", "Title", 80, nillable=False, name_field=True),
        boolean("IsPrivate", "Private"),
        textarea("Body", "Body"),
        owner_field(),
        *audit_fields(),
    ])  # fmt: skip


def user() -> SObjectType:
    return make_object("User", "User", "Users", "005", [
        *identity_fields()[:1],
        text("Username", "Username", 80, nillable=False, id_lookup=True, unique=True),
        text("FirstName", "First Name", 40),
        text("LastName", "Last Name", 80, nillable=False),
        read_only(text("Name", "Full Name", 121, name_field=True)),
        typed("email", "Email", "Email", 128, nillable=False, id_lookup=True),
        text("Alias", "Alias", 8, nillable=False),
        text("Title", "Title", 80),
        text("CompanyName", "Company Name", 80),
        boolean("IsActive", "Active", default=True),
        picklist("UserType", "User Type", ("Standard",)),
        picklist("TimeZoneSidKey", "Time Zone", ("GMT", "America/Los_Angeles", "Europe/Berlin")),
        *audit_fields(),
    ], createable=False, updateable=False, deletable=False)  # fmt: skip


def organization() -> SObjectType:
    return make_object("Organization", "Organization", "Organizations", "00D", [
        *identity_fields()[:1],
        text("Name", "Name", 80, nillable=False, name_field=True),
        picklist("OrganizationType", "Edition", ("Developer Edition", "Enterprise Edition")),
        text("InstanceName", "Instance Name", 5),
        boolean("IsSandbox", "Is Sandbox"),
        picklist("DefaultLocaleSidKey", "Locale", ("en_US",)),
        picklist("LanguageLocaleKey", "Language", ("en_US",)),
        picklist("TimeZoneSidKey", "Time Zone", ("GMT",)),
        *audit_fields(),
    ], createable=False, updateable=False, deletable=False)  # fmt: skip


def case() -> SObjectType:
    """A support case, with what a survey on closing it needs (contact, status, closed)."""
    statuses = tuple(
        PicklistValue(status, default=index == 0, attributes={"closed": closed})
        for index, (status, closed) in enumerate(CASE_STATUSES)
    )
    return make_object("Case", "Case", "Cases", "500", [
        *identity_fields(),
        read_only(text("CaseNumber", "Case Number", 30, name_field=True, nillable=False,
                       defaulted_on_create=True, auto_number="{0:08d}")),
        text("Subject", "Subject", 255),
        Field("Status", "Status", "picklist", length=255, picklist=statuses,
              restricted_picklist=True, nillable=False, defaulted_on_create=True,
              default=CASE_STATUSES[0][0]),
        boolean("IsClosed", "Closed", writable=False),
        reference("ContactId", "Contact ID", ["Contact"], "Contact"),
        reference("AccountId", "Account ID", ["Account"], "Account"),
        typed("email", "SuppliedEmail", "Web Email", 80),
        textarea("Description", "Description"),
        owner_field(),
        *audit_fields(),
        external_id_field(),
    ])  # fmt: skip


def survey_response() -> SObjectType:
    """The custom object a survey's answers are written to, with lookups to Case and Contact
    (as Qualtrics' Salesforce extension sets up)."""
    return make_object("Survey_Response__c", "Survey Response", "Survey Responses", "a00", [
        *identity_fields(),
        read_only(text("Name", "Survey Response Name", 80, name_field=True, nillable=False,
                       defaulted_on_create=True, auto_number="SR-{0:06d}")),
        typed("double", "NPS__c", "NPS", precision=2, scale=0, custom=True),
        typed("double", "Rating__c", "Rating", precision=1, scale=0, custom=True),
        Field("Comment__c", "Comment", "textarea", length=32768, custom=True),
        reference("Case__c", "Case", ["Case"], "Case__r", custom=True),
        reference("Contact__c", "Contact", ["Contact"], "Contact__r", custom=True),
        text("Response_Id__c", "Response ID", 64, external_id=True, id_lookup=True, unique=True,
             custom=True),
        owner_field(),
        *audit_fields(),
    ], custom=True)  # fmt: skip
