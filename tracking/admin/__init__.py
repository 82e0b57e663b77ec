"""Records in the admin: contacts, companies, the opportunity mirror, and ingestion API keys
(document and activity tracking records: tracking/admin/activities.py; surveys:
tracking/admin/surveys.py).

Edits go through the services, which mark a changed record for the outbound sync; the sync's
own bookkeeping is shown read-only.
"""

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from tracking.admin import activities, surveys  # noqa: F401 - registers the tracking records
from tracking.admin.base import SYNC_FIELDS, HistoryLinkMixin, ReadOnlyAdminMixin
from tracking.models import ApiKey, Company, Contact, Opportunity
from tracking.services import api_key_create, api_keys_revoke, company_save, contact_save


@admin.register(Contact)
class ContactAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "name",
        "company",
        "lifecycle_stage",
        "salesforce_object",
        "salesforce_id",
        "salesforce_synced_at",
        "origin",
    ]
    search_fields = ["email", "email_key", "first_name", "last_name", "company", "salesforce_id"]
    list_filter = ["lifecycle_stage", "salesforce_object", "origin", "deleted_in_salesforce"]
    raw_id_fields = ["company_record", "owner"]
    readonly_fields = [
        "history", "known_by", "salesforce_object", "salesforce_owner_id", *SYNC_FIELDS
    ]  # fmt: skip
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    ("first_name", "last_name"),
                    ("company", "company_record"),
                    "title",
                    "phone",
                    ("state", "country"),
                    "lifecycle_stage",
                    "owner",
                    "properties",
                ]
            },
        ),
        (
            "Salesforce",
            {
                "fields": [
                    "history",
                    "known_by",
                    "salesforce_object",
                    "salesforce_owner_id",
                    *SYNC_FIELDS,
                ]
            },
        ),
    ]

    @admin.display(description="Name", ordering="last_name")
    def name(self, contact: Contact) -> str:
        return f"{contact.first_name} {contact.last_name}".strip()

    @admin.display(description="Also known by")
    def known_by(self, contact: Contact) -> str:
        """The emails merged away in Salesforce that find this contact (ContactEmailAlias)."""
        return ", ".join(alias.email for alias in contact.email_aliases.all()) or "-"

    def save_model(self, request, obj, form, change):
        contact_save(contact=obj, changed_fields=form.changed_data)


@admin.register(Company)
class CompanyAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "domain", "website", "salesforce_id", "salesforce_synced_at", "origin"]
    search_fields = ["name", "domain", "salesforce_id"]
    list_filter = ["origin", "deleted_in_salesforce"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["history", "salesforce_owner_id", *SYNC_FIELDS]
    fieldsets = [
        (None, {"fields": ["name", "domain", "website"]}),
        ("Salesforce", {"fields": ["history", "salesforce_owner_id", *SYNC_FIELDS]}),
    ]

    def save_model(self, request, obj, form, change):
        company_save(company=obj, changed_fields=form.changed_data)


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdminMixin, HistoryLinkMixin, admin.ModelAdmin):
    """A mirror of Salesforce: changed there, never here."""

    list_display = ["name", "stage", "amount", "close_date", "company", "is_closed", "is_won"]
    list_filter = ["is_closed", "is_won", "stage"]
    search_fields = ["name", "salesforce_id", "company__name"]
    list_select_related = ["company"]
    readonly_fields = ["history"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys for the ingestion API. A new key is shown once, right after it is created."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = api_key_create(name=obj.name)
        obj.pk = issued.api_key.pk  # the admin goes on to log and answer with `obj`
        obj.refresh_from_db()
        request.issued_api_key = issued.key  # for response_add, on this request only

    def response_add(self, request, obj, post_url_continue=None):
        """The new key on this page, once: not in a message (a cookie) nor behind a redirect."""
        response = TemplateResponse(
            request,
            "admin/tracking/apikey/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"API key for “{obj.name}”",
                "api_key": obj,
                "key": request.issued_api_key,
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected API keys", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = api_keys_revoke(api_keys=queryset)
        if revoked:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=ApiKey.objects.filter(pk__in=[api_key.pk for api_key in revoked]),
                action_flag=CHANGE,
                change_message="Revoked",
            )
        messages.success(request, f"Revoked {len(revoked)} API key(s).")
