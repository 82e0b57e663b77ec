"""Document and activity tracking records in the admin: documents, rooms, links, visits and
activities, as the host product posted them (read-only here), each with its sync history."""

from django.contrib import admin

from tracking.admin.base import SYNC_FIELDS, HistoryLinkMixin, ReadOnlyAdminMixin
from tracking.models import Activity, Document, Link, Room, Visit

SALESFORCE = ["salesforce_id", "salesforce_synced_at"]


class ReadOnlyRecordAdmin(ReadOnlyAdminMixin, HistoryLinkMixin, admin.ModelAdmin):
    """Written by the ingestion API only: the admin lists, searches and shows them."""

    record_fields: list = []

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": self.record_fields}),
            ("Salesforce", {"fields": ["history", *SYNC_FIELDS]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["history", *self.record_fields, *SYNC_FIELDS]


@admin.register(Document, Room)
class SharedContentAdmin(ReadOnlyRecordAdmin):
    list_display = ["name", "url", *SALESFORCE, "created_at"]
    search_fields = ["name", "url", "salesforce_id"]
    list_filter = ["origin"]
    record_fields = ["name", "url"]


@admin.register(Link)
class LinkAdmin(ReadOnlyRecordAdmin):
    list_display = ["external_id", "kind", "name", "account_name", "owner_email", "shared_at"]
    list_display += SALESFORCE
    search_fields = [
        "external_id",
        "name",
        "account_name",
        "owner_email",
        "document__url",
        "room__url",
        "salesforce_id",
    ]
    list_filter = ["kind", "shared_at", "origin"]
    record_fields = [
        "external_id",
        "kind",
        "name",
        "document",
        "room",
        "account_name",
        "internal_url",
        "external_url",
        "owner_email",
        "owner",
        "shared_at",
    ]


@admin.register(Visit)
class VisitAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "external_id",
        "visitor_email",
        "visitor_name",
        "company",
        "link",
        "started_at",
        "duration_seconds",
        "percent_viewed",
        "ended",
        *SALESFORCE,
    ]
    list_select_related = ["link__document", "link__room"]
    search_fields = [
        "external_id",
        "visitor_email",
        "visitor_name",
        "company",
        "link__external_id",
        "salesforce_id",
    ]
    list_filter = ["ended", "started_at"]
    record_fields = [
        "external_id",
        "link",
        "visitor_email",
        "visitor_name",
        "company",
        "started_at",
        "last_activity_at",
        "duration_seconds",
        "percent_viewed",
        "statistics_url",
        "ended",
    ]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "external_id",
        "kind",
        "subject",
        "author_email",
        "contact_email",
        "occurred_at",
        "copy_to_crm",
        *SALESFORCE,
    ]
    search_fields = [
        "external_id",
        "subject",
        "author_email",
        "contact_email",
        "contact_name",
        "company",
        "salesforce_id",
    ]
    list_filter = ["kind", "copy_to_crm", "occurred_at"]
    record_fields = [
        "external_id",
        "kind",
        "author_email",
        "author",
        "contact_email",
        "contact_name",
        "company",
        "subject",
        "body",
        "occurred_at",
        "duration_seconds",
        "copy_to_crm",
    ]
