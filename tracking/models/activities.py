"""Document and activity tracking: documents and rooms, the links shared to them, the visits of
those links, and the sales users' own activities (InMails, messages, notes, calls).

Links, visits and activities come from the host product, each upserted by its own id
(`external_id`); documents and rooms are known by their URL, from the links that name them.
Each record carries the Salesforce link every synced record has: a Task for links, rooms and
visits, a Task or (for a note) a ContentNote for activities. Links, visits and activities
also remember which Salesforce record their Task or note went on and how it was found
(`SalesforceActivity`); one that found none waits, unresolved, until one appears.
"""

from django.conf import settings
from django.db import models

from tracking.choices import ActivityKind, LinkKind, MatchMethod
from tracking.models.base import SyncedRecord

EXTERNAL_ID_MAX_LENGTH = 255
URL_MAX_LENGTH = 500
# A count of seconds the databases store as a (signed 32-bit) integer.
MAX_SECONDS = 2_147_483_647


def _external_id() -> models.CharField:
    return models.CharField(
        max_length=EXTERNAL_ID_MAX_LENGTH,
        unique=True,
        help_text="The host product's own id of this record.",
    )


def _owner(related_name: str, help_text: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        help_text=help_text,
    )


class SalesforceActivity(SyncedRecord):
    """Abstract: what a record written to Salesforce as a Task (or note) adds to the link.

    `salesforce_who_id` is the Contact or Lead, `salesforce_what_id` the Account it went on
    (a Lead's Task has no Account: Salesforce refuses both). `unresolved_since` is set while
    nothing matches; the sync tries again until something does. `salesforce_attempted_at`
    marks a create whose answer may have been lost: before sending it again the sync looks
    for what that attempt created. `salesforce_failed_at` keeps the event-driven push from
    retrying a refused record on every new visit; the scheduled cycle retries it.
    """

    salesforce_who_id = models.CharField("Salesforce person id", max_length=18, blank=True)
    salesforce_what_id = models.CharField("Salesforce account id", max_length=18, blank=True)
    matched_by = models.CharField(max_length=16, choices=MatchMethod.choices, blank=True)
    unresolved_since = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Since when no Contact, Lead or Account matches (empty once one does).",
    )
    salesforce_attempted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a create was sent whose outcome is not known yet.",
    )
    salesforce_failed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When Salesforce last refused it (empty once a write succeeds).",
    )

    class Meta:
        abstract = True


class SharedContent(SyncedRecord):
    """What the host product shares through links: named, one per URL."""

    name = models.CharField(max_length=255, blank=True)
    url = models.URLField("URL", max_length=URL_MAX_LENGTH, unique=True)

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.url


class Document(SharedContent):
    """A document the host product shares; one per URL."""


class Room(SharedContent):
    """A (data) room the host product shares; one per URL."""


class Link(SalesforceActivity):
    """A link shared to a document or to a room (its `kind` says which one it has)."""

    external_id = _external_id()
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    name = models.CharField(
        max_length=255, blank=True, help_text="The document's or room's name, as the link gives it."
    )
    account_name = models.CharField(max_length=255, blank=True)
    internal_url = models.URLField("internal URL", max_length=URL_MAX_LENGTH, blank=True)
    external_url = models.URLField("external URL", max_length=URL_MAX_LENGTH, blank=True)
    owner_email = models.EmailField(max_length=254, blank=True)
    owner = _owner("links", "The local user with the owner's email: may read the history.")
    shared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the link was created in the host product."
    )

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=LinkKind.DOCUMENT, document__isnull=False, room__isnull=True)
                    | models.Q(kind=LinkKind.ROOM, room__isnull=False, document__isnull=True)
                ),
                name="link_kind_matches_target",
            )
        ]

    def __str__(self) -> str:
        target = self.document or self.room
        return f"{self.get_kind_display()} link: {target}" if target else self.external_id


class Visit(SalesforceActivity):
    """One visit of a link; the host posts it as it starts, progresses and ends."""

    external_id = _external_id()
    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="visits")
    visitor_email = models.EmailField(max_length=254, blank=True)
    visitor_name = models.CharField(max_length=255, blank=True)
    company = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(default=0)
    percent_viewed = models.FloatField(default=0)
    statistics_url = models.URLField("statistics URL", max_length=URL_MAX_LENGTH, blank=True)
    ended = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Visit by {self.visitor_email or self.visitor_name or 'someone'}"

    @property
    def owner_id(self) -> int | None:
        """A visit is its link owner's to read (the history page asks)."""
        return self.link.owner_id


class Activity(SalesforceActivity):
    """A sales user's InMail, message, note or call, for the write-back to Salesforce."""

    # A Task's Description holds 32,000 characters.
    BODY_MAX_LENGTH = 32_000

    external_id = _external_id()
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    author_email = models.EmailField(max_length=254, blank=True)
    author = _owner("activities", "The local user with the author's email: may read the history.")
    contact_email = models.EmailField(max_length=254, blank=True)
    contact_name = models.CharField(max_length=255, blank=True)
    company = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Calls.")
    copy_to_crm = models.BooleanField(
        "copy to CRM", default=False, help_text="Written back even when its kind is not selected."
    )

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject or self.external_id}"

    @property
    def owner_id(self) -> int | None:
        """The author may read the history (the history page asks)."""
        return self.author_id

    @property
    def salesforce_object(self) -> str:
        """Where it goes in Salesforce: a note is a ContentNote, the others a Task."""
        return "ContentNote" if self.kind == ActivityKind.NOTE else "Task"
