"""Lead conversion, as a user converts a lead in Salesforce.

Conversion creates (or reuses) an account and a contact, optionally an opportunity, moves the
lead's tasks, notes and note links to the contact, and marks the lead converted; a converted
lead can no longer be updated or referenced. The REST API has no conversion call, so only the
store and the emulator's control endpoint offer it.
"""

from datetime import timedelta

from ..errors import ApiError
from .objects import CONVERTED_LEAD_STATUS, STAGES

_ACCOUNT_FROM_LEAD = {
    "Phone": "Phone", "Website": "Website", "Industry": "Industry",
    "NumberOfEmployees": "NumberOfEmployees", "AnnualRevenue": "AnnualRevenue",
    "LeadSource": "AccountSource",
}  # fmt: skip
_CONTACT_FROM_LEAD = {
    "Salutation": "Salutation", "FirstName": "FirstName", "LastName": "LastName",
    "Title": "Title", "Email": "Email", "Phone": "Phone", "MobilePhone": "MobilePhone",
    "LeadSource": "LeadSource", "Description": "Description",
    "HasOptedOutOfEmail": "HasOptedOutOfEmail",
}  # fmt: skip
_ADDRESS_PARTS = ("Street", "City", "PostalCode")


def convert_lead(
    store,
    lead_id: str,
    *,
    account_id: str | None = None,
    contact_id: str | None = None,
    create_opportunity: bool = False,
    converted_status: str = CONVERTED_LEAD_STATUS,
    user_id: str | None = None,
) -> dict:
    """Convert the lead; returns {"accountId", "contactId", "opportunityId"}."""
    lead_type = store.object_type("Lead")
    lead = store.existing(lead_type, lead_id)
    _check_request(lead_type, lead, contact_id, account_id, converted_status)
    with store.atomic():
        account_id = account_id or store.insert("Account", _account_fields(store, lead), user_id)
        contact_id = contact_id or store.insert(
            "Contact", {**_contact_fields(store, lead), "AccountId": account_id}, user_id
        )
        opportunity_id = None
        if create_opportunity:
            opportunity_id = store.insert(
                "Opportunity", _opportunity_fields(store, lead, account_id), user_id
            )
        _move_activities(store, lead["Id"], contact_id, user_id)
        store.update("Lead", lead["Id"], {
            "IsConverted": True, "Status": converted_status, "ConvertedDate": store.now().date(),
            "ConvertedAccountId": account_id, "ConvertedContactId": contact_id,
            "ConvertedOpportunityId": opportunity_id,
        }, user_id, system=True)  # fmt: skip
    return {"accountId": account_id, "contactId": contact_id, "opportunityId": opportunity_id}


def _check_request(lead_type, lead, contact_id, account_id, converted_status) -> None:
    if lead["IsConverted"]:
        raise ApiError("CANNOT_UPDATE_CONVERTED_LEAD", "This lead was already converted.")
    status = lead_type.fields["Status"].picklist_by_value.get(converted_status)
    if status is None or not status.attributes["converted"]:
        raise ApiError("INVALID_STATUS", f"invalid convertedStatus: {converted_status}")
    if contact_id and not account_id:
        raise ApiError("REQUIRED_FIELD_MISSING", "accountId must be specified with contactId")


def _copied(lead: dict, mapping: dict) -> dict:
    return {target: lead[source] for source, target in mapping.items() if lead[source] is not None}


def _address(store, lead: dict, prefix: str) -> dict:
    parts = _ADDRESS_PARTS + (
        ("StateCode", "CountryCode") if store.state_country_picklists else ("State", "Country")
    )
    return {f"{prefix}{part}": lead[part] for part in parts if lead[part] is not None}


def _account_fields(store, lead: dict) -> dict:
    return {"Name": lead["Company"], **_copied(lead, _ACCOUNT_FROM_LEAD),
            **_address(store, lead, "Billing")}  # fmt: skip


def _contact_fields(store, lead: dict) -> dict:
    return {**_copied(lead, _CONTACT_FROM_LEAD), **_address(store, lead, "Mailing")}


def _opportunity_fields(store, lead: dict, account_id: str) -> dict:
    fields = {
        "Name": f"{lead['Company']}-", "AccountId": account_id, "StageName": STAGES[0][0],
        "CloseDate": store.now().date() + timedelta(days=30),
    }  # fmt: skip
    if lead["LeadSource"]:
        fields["LeadSource"] = lead["LeadSource"]
    return fields


def _move_activities(store, lead_id: str, contact_id: str, user_id: str | None) -> None:
    for child in store.children_of(lead_id):
        if child.get("WhoId") == lead_id:
            field = "WhoId"
        elif child.get("LinkedEntityId") == lead_id:
            field = "LinkedEntityId"  # the lead's notes and files follow it to the contact
        else:
            field = "ParentId"
        object_name = store.schema.for_id(child["Id"]).name
        store.update(object_name, child["Id"], {field: contact_id}, user_id, system=True)
