"""What a console save changed, in words: "Sync interval (minutes): 15 → 20".

The success message after saving a settings page lists every changed field with its old and
new value (choices by their labels, switches as on/off), and every added, changed or removed
row of its lists. Secrets are named, never shown.
"""

from __future__ import annotations

import json

from django import forms
from django.forms.utils import pretty_name
from django.utils.text import capfirst

EMPTY = "(empty)"


def form_changes(form: forms.BaseForm, *, secrets: tuple[str, ...] = ()) -> list[str]:
    """One "Label: old → new" per changed field of a validated form."""
    changes = []
    for name in form.changed_data:
        if name not in form.cleaned_data or name == "DELETE":
            continue
        field = form.fields[name]
        old = field.to_python(form.get_initial_for_field(field, name))
        new = form.cleaned_data[name]
        if _same(old, new):
            continue
        label = capfirst(str(field.label or pretty_name(name)))
        if name in secrets:
            changes.append(f"{label}: changed (not shown)")
        else:
            changes.append(f"{label}: {_shown(field, old)} → {_shown(field, new)}")
    return changes


def formset_changes(formset: forms.BaseFormSet) -> list[str]:
    """Added, changed and removed rows of a validated model formset, each by its name."""
    name = capfirst(str(formset.model._meta.verbose_name_plural))
    changes = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or not form.has_changed():
            continue
        stored = form.instance.pk is not None and not form.instance._state.adding
        if not stored:
            if not data.get("DELETE"):
                changes.append(f"{name}: added “{_row(form, data)}”")
        elif data.get("DELETE"):
            changes.append(f"{name}: removed “{_row(form, form.initial)}”")
        elif fields := form_changes(form):
            changes.append(f"{name}: “{_row(form, form.initial)}”: {', '.join(fields)}")
    return changes


def changes_message(changes: list[str], *, saved: str = "Saved") -> str:
    if not changes:
        return f"{saved}. No changes."
    return f"{saved}: " + "; ".join(changes) + "."


def _row(form: forms.ModelForm, values: dict) -> str:
    """A row's name (the model's str) from a set of its values."""
    model = form._meta.model
    names = {field.name for field in model._meta.concrete_fields}
    return str(model(**{key: value for key, value in values.items() if key in names}))


def _same(old, new) -> bool:
    return (old in (None, "") and new in (None, "")) or old == new


def _shown(field: forms.Field, value) -> str:
    if isinstance(field, forms.BooleanField):
        return "on" if value else "off"
    if value is None or value == "" or value == {}:
        return EMPTY
    choices = dict(_flat(getattr(field, "choices", None) or []))
    if isinstance(value, list) and choices:  # a multiple choice, by its labels
        return ", ".join(str(choices.get(item, item)) for item in value) or "none"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if value in choices:
        return str(choices[value])
    return str(value)


def _flat(choices):
    """(value, label) pairs, also out of option groups."""
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat(label)
        else:
            yield value, label
