"""Leads and Contacts ↔ local contacts, both directions.

Pull: update linked contacts, link an unlinked one with the same email (a Contact outranks a
Lead), create the rest per the creation toggles, re-link a converted Lead's contact to its
Contact, and apply the deletion policies; each contact read keeps its record's OwnerId (whose
seat holder may read it), and a new OwnerId moves the contact to that user's local user
(`owner_users`). Push: match unlinked contacts by email (an existing
Contact first, then an unconverted Lead), then create what matched nothing as the configured
record type, owned by the contact owner's Salesforce user, and update what changed; only
contacts the inclusion list lets through go out. A Lead or Contact merged into another in
Salesforce is followed there, never deleted (`merges.py`).
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.utils import timezone

from integrations import conf
from integrations.choices import Direction, InclusionMode, Operation
from integrations.exceptions import ConfigurationError
from integrations.sync import lookups, push
from integrations.sync.company_links import LINK_FIELDS as COMPANY_FIELDS
from integrations.sync.company_links import PeopleCompanies
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.base import Handler
from integrations.sync.merges import merges_follow
from integrations.sync.owner_users import local_owners, salesforce_owners
from integrations.sync.owners import same_user
from integrations.sync.pull import merge_into
from integrations.sync.rules.deletion import deletes_locally, deletion_message
from integrations.sync.rules.fields import FieldMap, model_fields
from integrations.sync.rules.inclusion import inclusion_q
from integrations.sync.rules.matching import email_key
from integrations.sync.rules.merge import BOOKKEEPING_FIELDS, seen_already, unlink
from integrations.sync.safe_deletes import deletions_pend, undeleted_back
from tracking.choices import Origin, SalesforceObject
from tracking.models import Contact, ContactEmailAlias

LEAD, CONTACT = SalesforceObject.LEAD, SalesforceObject.CONTACT
PEOPLE = (LEAD, CONTACT)
LEAD_COMPANY_PLACEHOLDER = "[not provided]"
NOT_INCLUDED = "Not in the inclusion list."
LINKED_ELSEWHERE = "Its email's contact is linked to another Salesforce record already."
NOT_CREATED = "New Salesforce records do not create contacts (sync settings)."
NO_EMAIL = "No email to match or create a contact by."
NEEDS_LAST_NAME = (
    "Waiting: needs a last name. Salesforce requires one on every Lead and Contact; the "
    "contact is sent once it has one."
)


class PeopleHandler(Handler):
    reads = PEOPLE  # Leads first: a conversion re-links a contact before its Contact arrives
    writes = PEOPLE
    base_fields = {
        LEAD: ["Id", "Email", "IsDeleted", "IsConverted", "ConvertedContactId",
               "ConvertedAccountId", "Company", "Website", "OwnerId", "MasterRecordId"],
        CONTACT: ["Id", "Email", "IsDeleted", "AccountId", "OwnerId", "MasterRecordId"],
    }  # fmt: skip
    push_phase = "Sending contacts to Salesforce"

    def waiting(self) -> int:
        return push.unsynced(Contact).count()

    # -- pull ----------------------------------------------------------------------------

    def apply(
        self,
        cycle: Cycle,
        sobject: str,
        rows: list[dict],
        maps: list[FieldMap],
        *,
        create_all: bool = False,
    ) -> None:
        """`create_all`: a row matching no contact creates one whatever the creation toggles
        say (the pipeline import)."""
        rows = merges_follow(cycle, sobject, rows, base_fields=self.base_fields[sobject],
                             apply=self.apply)  # fmt: skip
        batch = _PulledPeople(cycle, sobject, rows, create_all=create_all)
        for row in rows:
            batch.take(row, maps)
        batch.save(maps)
        cycle.recorder.resolve_saved()

    # -- push ----------------------------------------------------------------------------

    def push(self, cycle: Cycle) -> None:
        settings = cycle.settings
        included = _inclusion_filter(cycle)
        if settings.inclusion_mode != InclusionMode.NONE:
            excluded = push.unsynced(Contact).exclude(included).count()
            if excluded:
                cycle.recorder.count(CONTACT, Operation.SKIP, amount=excluded,
                                     reason=NOT_INCLUDED, direction=Direction.OUTBOUND)  # fmt: skip
        maps = {name: cycle.field_maps(name) for name in PEOPLE}
        queryset = push.unsynced(Contact, extra=included, pending=cycle.store.pending(Contact))
        for batch in push.batches(queryset, conf.get("SYNC_BATCH_SIZE")):
            loaded_at = timezone.now()
            batch = cycle.store.current(batch)
            _match_by_email(cycle, maps, batch)
            ready = _without_waiting(cycle, batch, loaded_at)
            new = [contact for contact in ready if not contact.salesforce_id]
            owners = salesforce_owners(cycle, (contact.owner_id for contact in new))
            writes = push.plan(
                ready,
                sobject_of=lambda contact: contact.salesforce_object or settings.new_record_type,
                maps=maps,
                create_defaults=partial(_create_defaults, owners=owners),
                recorder=cycle.recorder,
                loaded_at=loaded_at,
            )
            push.send(cycle, writes, loaded_at)
            _owners_written(cycle, new)
            cycle.store.update(Contact, batch, [*push.LINK_FIELDS, "salesforce_object",
                                                "salesforce_owner_id"])  # fmt: skip
            cycle.recorder.flush()
            cycle.advance(len(batch))


def _inclusion_filter(cycle: Cycle):
    """The inclusion list as a filter; a stored rule it cannot apply is a settings problem."""
    try:
        return inclusion_q(mode=cycle.settings.inclusion_mode, rules=cycle.inclusion_rules())
    except ValidationError as error:
        reasons = " ".join(error.messages)
        raise ConfigurationError(
            f"An inclusion list rule cannot be applied: {reasons}",
            code="INVALID_SETTINGS",
            hint="Fix or remove that rule in the sync settings (inclusion list); no contact "
            "is sent until then.",
        ) from error


class _PulledPeople:
    """One batch of pulled Leads or Contacts and the local contacts they touch."""

    def __init__(self, cycle: Cycle, sobject: str, rows: list[dict], *, create_all: bool):
        self.cycle, self.sobject, self.now = cycle, sobject, timezone.now()
        self.create_all = create_all
        ids = [row["Id"] for row in rows]
        self.linked = {
            contact.salesforce_id: contact
            for contact in Contact.objects.filter(salesforce_id__in=ids).select_related(
                "company_record", "owner"
            )
        } | cycle.store.linked(Contact, ids)  # a preview's, as it left them
        self.linked |= undeleted_back(cycle, Contact, sobject, rows, self.linked)
        emails = {email_key(row) for row in rows} - {""}
        self.by_email = {
            contact.email_key: contact
            for contact in Contact.objects.filter(email_key__in=emails).select_related(
                "company_record", "owner"
            )
        } | cycle.store.linked_by_email(emails)
        self.by_email |= _by_alias(emails - self.by_email.keys())
        self.companies = PeopleCompanies(sobject, rows)
        self.owners = local_owners(cycle, _new_owner_ids(rows, self.linked))
        self.new: list[Contact] = []
        self.touched: dict[int, Contact] = {}
        self.doomed: list[Contact] = []

    def take(self, row: dict, maps: list[FieldMap]) -> None:
        contact = self.linked.get(row["Id"])
        if row["IsDeleted"]:
            if contact is not None:
                self._deleted(contact, row)
            return
        if self.sobject == LEAD and row.get("IsConverted"):
            if contact is not None and row.get("ConvertedContactId"):
                self._relink(contact, row)
            return
        operation = Operation.UPDATE
        if contact is None:
            contact, operation = self._find_or_create(row)
            if contact is None:
                return
        elif seen_already(contact, row):
            return
        owner = self._owner(contact, row)
        linked = self.companies.link(contact, row)
        merge_into(contact, row, maps, operation=operation, sobject=self.sobject,
                   recorder=self.cycle.recorder, now=self.now,
                   extra_changes=[*owner, *linked])  # fmt: skip
        if contact.pk is None:
            self.new.append(contact)
        else:
            self.touched[contact.pk] = contact

    def _owner(self, contact: Contact, row: dict) -> list[dict]:
        """Keep the record's OwnerId; a new one moves the contact to its local user, when it
        has one (a local owner stays when the Salesforce owner is nobody here)."""
        owner_id = row.get("OwnerId") or ""
        if same_user(owner_id, contact.salesforce_owner_id):
            contact.salesforce_owner_id = owner_id  # as Salesforce returns it
            return []
        contact.salesforce_owner_id = owner_id
        user = self.owners.get(owner_id)
        if user is None or user.pk == contact.owner_id:
            return []
        old = contact.owner.email if contact.owner_id else None
        contact.owner = user
        return [{"field": "owner", "salesforce_field": "OwnerId", "old": old, "new": user.email}]

    def save(self, maps: list[FieldMap]) -> None:
        store = self.cycle.store
        store.create(Contact, self.new)
        if self.touched:
            fields = [*model_fields(maps), *BOOKKEEPING_FIELDS, *COMPANY_FIELDS,
                      "salesforce_object", "salesforce_owner_id", "owner"]  # fmt: skip
            store.update(Contact, list(self.touched.values()), fields)
        deletions_pend(self.cycle, self.sobject, self.doomed)

    def _find_or_create(self, row: dict) -> tuple[Contact | None, Operation | None]:
        sobject, recorder = self.sobject, self.cycle.recorder
        email = email_key(row)
        candidate = self.by_email.get(email) if email else None
        if candidate is not None:
            # A Contact outranks a Lead with the same email (as when matching on push).
            takes_over = sobject == CONTACT and candidate.salesforce_object == LEAD
            if candidate.salesforce_id and not takes_over:
                recorder.count(sobject, Operation.SKIP, reason=LINKED_ELSEWHERE,
                               direction=Direction.INBOUND)  # fmt: skip
                return None, None  # linked to another Salesforce record already
            candidate.salesforce_object, candidate.salesforce_id = sobject, row["Id"]
            candidate.sync_values, candidate.salesforce_modstamp = {}, None
            candidate.deleted_in_salesforce = False
            return candidate, Operation.MATCH
        settings = self.cycle.settings
        allowed = self.create_all or (
            settings.create_from_leads if sobject == LEAD else settings.create_from_contacts
        )
        if not (allowed and email):
            recorder.count(sobject, Operation.SKIP, reason=NOT_CREATED if email else NO_EMAIL,
                           direction=Direction.INBOUND)  # fmt: skip
            return None, None
        contact = Contact(
            email=row["Email"],
            origin=Origin.SALESFORCE,
            salesforce_object=sobject,
            salesforce_id=row["Id"],
        )
        self.by_email[email] = contact
        return contact, Operation.CREATE

    def _relink(self, contact: Contact, row: dict) -> None:
        """A converted Lead: the contact now belongs to the Contact the Lead became."""
        old_id = contact.salesforce_id
        contact.salesforce_object = CONTACT
        contact.salesforce_id = row["ConvertedContactId"]
        contact.sync_values = {}
        contact.salesforce_modstamp = None
        self.cycle.recorder.event_when_saved(
            contact,
            direction=Direction.INBOUND,
            operation=Operation.MATCH,
            salesforce_object=CONTACT,
            salesforce_id=contact.salesforce_id,
            changes=[
                {"field": "salesforce_id", "old": old_id, "new": contact.salesforce_id},
                *self.companies.link_converted(contact, row),
            ],
            message="The Lead was converted; the contact now follows the converted Contact.",
        )
        self.touched[contact.pk] = contact

    def _deleted(self, contact: Contact, row: dict) -> None:
        """The policy keeps the contact (unlinked, marked), or its deletion is recorded and
        decided after the pulls (sync/safe_deletes.py); marked either way, it is not sent."""
        if deletes_locally(self.cycle.settings, self.sobject):
            contact.deleted_in_salesforce = True
            self.doomed.append(contact)
        else:
            self.cycle.recorder.event_when_saved(
                contact,
                direction=Direction.INBOUND,
                operation=Operation.DELETE,
                salesforce_object=self.sobject,
                salesforce_id=row["Id"],
                message=deletion_message(self.sobject, deleted=False),
            )
            unlink(contact)
        self.touched[contact.pk] = contact


def _by_alias(emails: set[str]) -> dict[str, Contact]:
    """The contacts known by these emails (keys) since a Salesforce merge (`merges`): a
    merge loser undeleted later finds the contact that follows its master."""
    if not emails:
        return {}
    aliases = ContactEmailAlias.objects.filter(email_key__in=emails).select_related(
        "contact__company_record", "contact__owner"
    )
    return {alias.email_key: alias.contact for alias in aliases}


def _match_by_email(cycle: Cycle, maps: dict[str, list[FieldMap]], contacts) -> None:
    """Link unlinked contacts to an existing Contact, else an unconverted Lead, by email."""
    for sobject in (CONTACT, LEAD):
        unlinked = [contact for contact in contacts if not contact.salesforce_id]
        if not unlinked:
            return
        fields = [item.salesforce for item in maps[sobject]]  # select() drops the duplicates
        found = lookups.rows_by_email(
            cycle.client, sobject, fields, (contact.email for contact in unlinked)
        )
        for contact in unlinked:
            row = found.get(contact.email_key)
            if row is not None:
                push.link_found(contact, sobject, row, maps[sobject], cycle.recorder)


def _without_waiting(cycle: Cycle, contacts: list[Contact], loaded_at) -> list[Contact]:
    """The contacts that can be sent. One Salesforce has nowhere to put yet (not linked, no
    last name: every Lead and Contact needs one) waits: one history event says so, and it is
    not tried again until it changes here."""
    ready = []
    for contact in contacts:
        if contact.salesforce_id or contact.last_name.strip():
            ready.append(contact)
            continue
        contact.salesforce_synced_at = loaded_at
        cycle.recorder.event(
            contact,
            direction=Direction.OUTBOUND,
            operation=Operation.SKIP,
            salesforce_object=contact.salesforce_object or cycle.settings.new_record_type,
            message=NEEDS_LAST_NAME,
        )
    return ready


def _create_defaults(contact: Contact, sobject: str, *, owners: dict[int, str]) -> dict:
    """Salesforce requires a company on every Lead; the owner here owns it there too, when
    they have an active Salesforce user (otherwise the integration user does)."""
    defaults = {"Company": LEAD_COMPANY_PLACEHOLDER} if sobject == LEAD else {}
    if contact.owner_id in owners:
        defaults["OwnerId"] = owners[contact.owner_id]
    return defaults


def _owners_written(cycle: Cycle, created: list[Contact]) -> None:
    """The created records' owners as sent (the integration user when none was): what the
    next pull reads is no owner change made in Salesforce."""
    for contact in created:
        if contact.salesforce_id:
            owner = (contact.sync_values or {}).get("OwnerId") or cycle.client.user_id or ""
            contact.salesforce_owner_id = owner


def _new_owner_ids(rows: list[dict], linked: dict[str, Contact]) -> set[str]:
    """The OwnerIds of the rows that are not the ones their linked contacts have."""
    return {
        row["OwnerId"]
        for row in rows
        if row.get("OwnerId")
        and (
            row["Id"] not in linked
            or not same_user(linked[row["Id"]].salesforce_owner_id, row["OwnerId"])
        )
    }
