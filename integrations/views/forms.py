"""The forms of the unresolved activities pages: the list's filters, the search for a
Salesforce record, and the pick of one."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from integrations.models import MappedObject
from integrations.unresolved.items import KIND_CHOICES, DateField, UnresolvedFilter
from tracking.ownership import reads_everything

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 80  # a Contact's Name holds 121 characters; nobody types that much


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.email or user.get_username()


class UnresolvedFilterForm(forms.Form):
    """The list's filters (GET). Only staff choose an owner: members see their own items."""

    kind = forms.ChoiceField(choices=[("", "Every kind"), *KIND_CHOICES], required=False)
    owner = OwnerChoiceField(
        queryset=get_user_model().objects.order_by("email", "username"),
        required=False,
        empty_label="Everyone",
    )
    date_field = forms.ChoiceField(label="Date", choices=DateField.choices, required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if not reads_everything(viewer):
            del self.fields["owner"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return cleaned

    def to_filter(self) -> UnresolvedFilter:
        data = self.cleaned_data
        owner = data.get("owner")
        return UnresolvedFilter(
            kind=data["kind"],
            owner_id=owner.pk if owner else None,
            date_field=data["date_field"] or DateField.SINCE,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class SalesforceSearchForm(forms.Form):
    q = forms.CharField(
        label="Email or name",
        min_length=SEARCH_MIN_LENGTH,
        max_length=SEARCH_MAX_LENGTH,
        required=False,
    )


class SalesforcePickForm(forms.Form):
    """The Salesforce record picked from the search results (POST)."""

    salesforce_object = forms.ChoiceField(choices=MappedObject.choices)
    salesforce_id = forms.CharField(max_length=18)
    q = forms.CharField(max_length=SEARCH_MAX_LENGTH, required=False)
