"""Inbound Leads and Contacts → local contacts: update, link, create, re-link, delete."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils import timezone

from integrations.choices import Direction, Operation
from integrations.models import SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.sync.db import update_rows
from integrations.sync.fields import FieldMap, model_fields
from integrations.sync.history import Recorder
from integrations.sync.merge import BOOKKEEPING_FIELDS, apply_row, seen_already, unlink
from tracking.choices import Origin
from tracking.models import Contact


def apply_people(
    *,
    client: SalesforceClient,
    sobject: str,
    rows: list[dict],
    maps: list[FieldMap],
    settings: SyncSettings,
    recorder: Recorder,
) -> None:
    now = timezone.now()
    linked = {
        contact.salesforce_id: contact
        for contact in Contact.objects.filter(salesforce_id__in=[row["Id"] for row in rows])
    }
    emails = {(row.get("Email") or "").lower() for row in rows} - {""}
    by_email = {
        contact.email_lower: contact
        for contact in Contact.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails
        )
    }
    new, touched, doomed = [], {}, []
    for row in rows:
        contact = linked.get(row["Id"])
        if row["IsDeleted"]:
            if contact is not None:
                _deleted(contact, row, sobject, settings, recorder, touched, doomed)
            continue
        if sobject == "Lead" and row.get("IsConverted"):
            if contact is not None and row.get("ConvertedContactId"):
                _relink(contact, row, recorder)
                touched[contact.pk] = contact
            continue
        operation = Operation.UPDATE
        if contact is None:
            contact, operation = _find_or_create(row, sobject, settings, by_email, recorder)
            if contact is None:
                continue
        elif seen_already(contact, row):
            continue
        apply_row(
            contact, row, maps, operation=operation, sobject=sobject, recorder=recorder, now=now
        )
        if contact.pk is None:
            new.append(contact)
        else:
            touched[contact.pk] = contact
    _save(new, list(touched.values()), doomed, maps)
    recorder.resolve_pending()


def _find_or_create(row, sobject, settings, by_email, recorder):
    email = (row.get("Email") or "").lower()
    candidate = by_email.get(email) if email else None
    if candidate is not None:
        # A Contact outranks a Lead with the same email (as when matching outbound).
        takes_over = sobject == "Contact" and candidate.salesforce_object == "Lead"
        if candidate.salesforce_id and not takes_over:
            recorder.count(sobject, Operation.SKIP)
            return None, None  # linked to another Salesforce record already
        candidate.salesforce_object, candidate.salesforce_id = sobject, row["Id"]
        candidate.sync_values, candidate.salesforce_modstamp = {}, None
        candidate.deleted_in_salesforce = False
        return candidate, Operation.MATCH
    allowed = settings.create_from_leads if sobject == "Lead" else settings.create_from_contacts
    if not (allowed and email):
        recorder.count(sobject, Operation.SKIP)
        return None, None
    contact = Contact(
        email=row["Email"],
        origin=Origin.SALESFORCE,
        salesforce_object=sobject,
        salesforce_id=row["Id"],
    )
    by_email[email] = contact
    return contact, Operation.CREATE


def _relink(contact: Contact, row: dict, recorder: Recorder) -> None:
    """A converted Lead: the contact now belongs to the Contact the Lead became."""
    old_id = contact.salesforce_id
    contact.salesforce_object = "Contact"
    contact.salesforce_id = row["ConvertedContactId"]
    contact.sync_values = {}
    contact.salesforce_modstamp = None
    recorder.pending(
        contact,
        direction=Direction.INBOUND,
        operation=Operation.MATCH,
        salesforce_object="Contact",
        salesforce_id=contact.salesforce_id,
        changes=[{"field": "salesforce_id", "old": old_id, "new": contact.salesforce_id}],
        message="The Lead was converted; the contact now follows the converted Contact.",
    )


def _deleted(contact, row, sobject, settings, recorder, touched, doomed) -> None:
    delete = (
        settings.delete_on_lead_deleted
        if sobject == "Lead"
        else (settings.delete_on_contact_deleted)
    )
    recorder.pending(
        contact,
        direction=Direction.INBOUND,
        operation=Operation.DELETE,
        salesforce_object=sobject,
        salesforce_id=row["Id"],
        message=(
            f"The {sobject} was deleted in Salesforce; "
            + ("the contact was deleted here too." if delete else "the contact was unlinked.")
        ),
    )
    if delete:
        doomed.append(contact)
        return
    unlink(contact)
    touched[contact.pk] = contact


def _save(new, touched, doomed, maps) -> None:
    if new:
        Contact.objects.bulk_create(new, batch_size=500)
    if touched:
        update_rows(
            Contact, touched, [*model_fields(maps), *BOOKKEEPING_FIELDS, "salesforce_object"]
        )
    if doomed:
        Contact.objects.filter(pk__in=[contact.pk for contact in doomed]).delete()
