"""Salesforce Files objects for enhanced notes: ContentNote and ContentDocumentLink.

A ContentNote is a ContentDocument (its id has the 069 prefix) whose `Content` is base64 of
restricted HTML (see `notes.py`); only Title and Content can be written. A ContentDocumentLink
shares a document with a record; it has no owner and no audit fields but SystemModstamp, and
is only queried for given documents or records, as Salesforce restricts it.
"""

from ..soql.engine import CompiledQuery, SoqlError
from .objects import (
    audit_fields,
    boolean,
    identity_fields,
    make_object,
    owner_field,
    read_only,
    reference,
    text,
    typed,
)
from .schema import Field, PicklistValue, SObjectType

SHARE_TYPES = (("V", "Viewer"), ("C", "Collaborator"), ("I", "Inferred"))
VISIBILITIES = ("AllUsers", "InternalUsers", "SharedUsers")
LINKABLE_OBJECTS = ("Account", "Contact", "Lead", "Opportunity", "User")
LINK_FILTER_FIELDS = frozenset({"ContentDocumentId", "LinkedEntityId"})
LINK_FILTER_REQUIRED = (
    "Implementation restriction: ContentDocumentLink requires a filter by a single Id on "
    "ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the "
    "IN operator."
)


def content_note() -> SObjectType:
    return make_object("ContentNote", "Note", "Notes", "069", [
        *identity_fields(),
        text("Title", "Title", 255, nillable=False, name_field=True),
        Field("Content", "Content", "base64", length=0),
        read_only(text("TextPreview", "Text Preview", 255)),
        read_only(text("FileType", "File Type", 20)),
        read_only(text("FileExtension", "File Extension", 40)),
        read_only(typed("int", "ContentSize", "Size", precision=9)),
        boolean("IsReadOnly", "Is Read Only", writable=False),
        read_only(owner_field()),
        *audit_fields(),
    ], aliases=("ContentDocument",))  # fmt: skip


def content_document_link() -> SObjectType:
    share_types = tuple(PicklistValue(code, label=label) for code, label in SHARE_TYPES)
    visibilities = tuple(
        PicklistValue(value, default=value == "AllUsers") for value in VISIBILITIES
    )
    return make_object("ContentDocumentLink", "Content Document Link",
                       "Content Document Link", "06A", [
        *identity_fields(),
        reference("ContentDocumentId", "ContentDocument ID", ["ContentDocument"],
                  "ContentDocument", nillable=False, updateable=False),
        reference("LinkedEntityId", "Linked Entity ID", LINKABLE_OBJECTS, "LinkedEntity",
                  nillable=False, updateable=False),
        Field("ShareType", "Share Type", "picklist", length=40, picklist=share_types,
              restricted_picklist=True, nillable=False),
        Field("Visibility", "Visibility", "picklist", length=40, picklist=visibilities,
              restricted_picklist=True, nillable=False, defaulted_on_create=True,
              default="AllUsers"),
        read_only(typed("datetime", "SystemModstamp", "System Modstamp"), nillable=False),
    ])  # fmt: skip


def check_query_restrictions(compiled: CompiledQuery) -> None:
    """Salesforce answers a ContentDocumentLink query only for given documents or records."""
    if compiled.object_name == "ContentDocumentLink" and not (
        LINK_FILTER_FIELDS & compiled.pinned_fields()
    ):
        raise SoqlError("MALFORMED_QUERY", LINK_FILTER_REQUIRED)
