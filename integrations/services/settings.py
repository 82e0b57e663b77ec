"""Writes of the sync settings: the console's save, and settings as code (export / import).

One document shape serves both: the settings keys (`settings_schema.py`), `inclusion_rules`
and `mappings` (documented in docs/configuration.md). A document is validated as a whole
before anything is written; a key left out keeps its current value, and a list given
replaces the stored one. Given a client, mappings, the activity field map
(`settings_task_fields.py`), the pipeline settings (`settings_pipeline.py`), the fallback
owner (`settings_owner.py`) and state and country picklists are checked against the org.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from integrations.choices import ActivityStorage, InclusionMode, MappingRule
from integrations.exceptions import SalesforceError
from integrations.models import FieldMapping, InclusionRule, MappedObject, SyncSettings
from integrations.salesforce.client import SalesforceClient
from integrations.schedules import schedules_sync
from integrations.services.connection import salesforce_client
from integrations.services.document_shapes import document_entries
from integrations.services.settings_owner import KEY as OWNER_KEY
from integrations.services.settings_owner import fallback_owner_check
from integrations.services.settings_pipeline import PIPELINE_KEYS, pipeline_settings_check
from integrations.services.settings_schema import (
    API_NAME,
    SETTINGS_KEYS,
    activity_field_map_error,
    setting_error,
)
from integrations.services.settings_task_fields import activity_field_map_check
from integrations.sync.mapping_validation import (
    local_field_error,
    picklist_fields,
    picklists_missing,
    picklists_refusal,
    validate_mapping,
)
from integrations.sync.rules.inclusion import validate_rule

FORMAT_VERSION = 1
RULE_KEYS = ("field", "operator", "value")
MAPPING_KEYS = ("salesforce_object", "local_field", "salesforce_field", "rule")
DOCUMENT_KEYS = frozenset({"version", *SETTINGS_KEYS, "inclusion_rules", "mappings"})
NEEDS_RULES = "Add at least one rule, or choose “no inclusion list” to sync every contact."
NEEDS_ACTIVITY_MAP = (
    "Map at least one activity attribute to a Task field, or store activity data in the Task "
    "Description."
)

Problems = dict[str, list[str]]


def sync_settings_update(*, data: dict[str, Any]) -> SyncSettings:
    """Validate and save settings, rules and mappings together; reschedule on commit."""
    sync_settings_check(data=data)
    return _settings_write(data)


def sync_settings_check(*, data: dict[str, Any]) -> None:
    """Validate settings, rules and mappings as `sync_settings_update` does, saving nothing
    (ValidationError by key path), e.g. before previewing them."""
    _raise_for(_problems(data, client=None))


def settings_export() -> dict[str, Any]:
    """Every sync setting as a JSON-ready document (the input of `settings_import`)."""
    settings = SyncSettings.load()
    document: dict[str, Any] = {"version": FORMAT_VERSION}
    document.update({key: getattr(settings, key) for key in SETTINGS_KEYS})
    document["inclusion_rules"] = [
        {key: getattr(rule, key) for key in RULE_KEYS} for rule in settings.rules.all()
    ]
    document["mappings"] = [
        {key: getattr(mapping, key) for key in MAPPING_KEYS}
        for mapping in FieldMapping.objects.order_by("salesforce_object", "id")
    ]
    return document


def settings_import(
    *, document: dict[str, Any], client: SalesforceClient | None = None
) -> SyncSettings:
    """Apply an exported document, or nothing at all when any part of it is wrong.

    With a client, mappings are also checked against the org's describe(), and the fallback
    owner against its users.
    """
    if isinstance(document, dict):
        document = dict(document)  # the fallback owner's checked id replaces the typed one
    _raise_for(_problems(document, client=client))
    return _settings_write(document)


# -- validation ---------------------------------------------------------------------------


def _raise_for(problems: Problems) -> None:
    if problems:
        raise ValidationError({path: messages for path, messages in problems.items()})


def _problems(document: Any, *, client: SalesforceClient | None) -> Problems:
    if not isinstance(document, dict):
        return {"document": ["The settings document must be a JSON object."]}
    problems: Problems = defaultdict(list)
    for key in document:
        if key not in DOCUMENT_KEYS:
            problems[key].append("Unknown key.")
    if "version" in document and document["version"] != FORMAT_VERSION:
        problems["version"].append(f"Only version {FORMAT_VERSION} is understood.")
    for key in SETTINGS_KEYS:
        if key in document:
            error = setting_error(key, document[key])
            if error:
                problems[key].append(error)
    if "inclusion_rules" in document:
        _rule_problems(document["inclusion_rules"], problems)
    if "mappings" in document:
        _mapping_problems(document["mappings"], problems, client=client)
    field_map = document.get("activity_field_map")
    if field_map and client is not None and activity_field_map_error(field_map) is None:
        _task_field_problems(field_map, problems, client=client)
    if client is not None:
        _pipeline_problems(document, problems, client=client)
        _owner_problems(document, problems, client=client)
    if document.get("state_country_picklists") is True and client is not None:
        mappings_ok = "mappings" in document and not any(
            path.startswith("mappings") for path in problems
        )
        mappings = document["mappings"] if mappings_ok else None
        errors = picklists_check(client=client, mappings=mappings)
        if errors:
            problems["state_country_picklists"] += errors
    if not problems:
        _consistency_problems(document, problems)
    return dict(problems)


def _entries(
    value: Any, path: str, keys: tuple[str, ...], problems: Problems
) -> list[tuple[str, dict]]:
    """(path, entry) of the list's well-formed entries (objects of known keys, each value a
    string); problems for the others."""
    entries = []
    for where, entry in document_entries(value, path, keys, problems):
        wrong = [key for key in keys if not isinstance(entry.get(key, ""), str)]
        for key in wrong:
            problems[f"{where}.{key}"].append("Use a string.")
        if not wrong:
            entries.append((where, entry))
    return entries


def _rule_problems(value: Any, problems: Problems) -> None:
    for where, rule in _entries(value, "inclusion_rules", RULE_KEYS, problems):
        try:
            validate_rule(rule.get("field", ""), rule.get("operator", ""), rule.get("value", ""))
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                problems[f"{where}.{key}"] += messages
        if len(rule.get("value", "")) > 255:
            problems[f"{where}.value"].append("Use at most 255 characters.")


def _mapping_problems(value: Any, problems: Problems, *, client: SalesforceClient | None) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for where, mapping in _entries(value, "mappings", MAPPING_KEYS, problems):
        missing = [key for key in MAPPING_KEYS if not mapping.get(key)]
        for key in missing:
            problems[f"{where}.{key}"].append("Required.")
        if missing:
            continue
        sobject, local, remote = (mapping[key] for key in MAPPING_KEYS[:3])
        for key in ((sobject, "local", local), (sobject, "remote", remote.lower())):
            if key in seen:
                problems[where].append(f"{sobject} maps “{key[2]}” twice (also {seen[key]}).")
            seen[key] = where
        errors = mapping_problems(mapping, client=client)
        if errors:
            problems[where] += errors


def field_mapping_check(*, mapping: dict) -> list[str]:
    """What is wrong with one mapping against the connected org's describe() (the console's
    check of an added or changed row); ConfigurationError when no org is connected."""
    return mapping_problems(mapping, client=salesforce_client())


def mapping_problems(mapping: dict, *, client: SalesforceClient | None) -> list[str]:
    """What is wrong with one mapping; checked against the org's describe() given a client."""
    sobject = mapping["salesforce_object"]
    if sobject not in MappedObject.values:
        return [f"Use one of: {', '.join(MappedObject.values)}."]
    if client is None:
        errors = [local_field_error(salesforce_object=sobject, local_field=mapping["local_field"])]
        if mapping["rule"] not in MappingRule.values:
            errors.append(f"Unknown rule; use one of: {', '.join(MappingRule.values)}.")
        if not API_NAME.fullmatch(mapping["salesforce_field"]):
            errors.append("The Salesforce field is not an API name.")
        return [error for error in errors if error]
    try:
        fields = client.fields(sobject)
    except SalesforceError as error:
        return [f"Could not read the {sobject} fields from Salesforce: {error}. {error.hint}"]
    return validate_mapping(fields=fields, **mapping)


def picklists_check(
    *, client: SalesforceClient | None = None, mappings: list[dict] | None = None
) -> list[str]:
    """Why state and country picklists cannot be turned on for the org (its describe()):
    the *Code fields of the mapped State/Country fields (the stored mappings unless given)
    must exist. Without a client, the connected org's; ConfigurationError when none is."""
    client = client or salesforce_client()
    if mappings is None:
        mappings = list(FieldMapping.objects.values(*MAPPING_KEYS))
    try:
        missing = picklists_missing(fields_of=client.fields, wanted=picklist_fields(mappings))
    except SalesforceError as error:
        return [f"Could not read the fields from Salesforce: {error}. {error.hint}"]
    return [picklists_refusal(missing)] if missing else []


def _task_field_problems(value: dict, problems: Problems, *, client: SalesforceClient) -> None:
    for where, message in activity_field_map_check(field_map=value, client=client):
        problems[".".join(filter(None, ["activity_field_map", where]))].append(message)


def _pipeline_problems(document: dict, problems: Problems, *, client: SalesforceClient) -> None:
    wanted = [key for key in PIPELINE_KEYS if key in document and key not in problems]
    values = {key: document[key] for key in wanted}
    for key, message in pipeline_settings_check(values=values, client=client):
        problems[key].append(message)


def _owner_problems(document: dict, problems: Problems, *, client: SalesforceClient) -> None:
    """The fallback owner checked against the org; a valid one is replaced in the document by
    the 18-character id the org returns, the form it is saved in."""
    if OWNER_KEY in document and OWNER_KEY not in problems:
        checked = fallback_owner_check(value=document[OWNER_KEY], client=client)
        if checked.problem:
            problems[OWNER_KEY].append(checked.problem)
        else:
            document[OWNER_KEY] = checked.user_id


def _consistency_problems(document: dict, problems: Problems) -> None:
    """Checks across keys; a key the document leaves out counts with its stored value."""
    settings = SyncSettings.load()
    mode = document.get("inclusion_mode", settings.inclusion_mode)
    if "inclusion_rules" in document:
        has_rules = bool(document["inclusion_rules"])
    else:
        has_rules = settings.rules.exists()
    if mode != InclusionMode.NONE and not has_rules:
        problems["inclusion_rules"].append(NEEDS_RULES)
    storage = document.get("activity_storage", settings.activity_storage)
    field_map = document.get("activity_field_map", settings.activity_field_map)
    if storage == ActivityStorage.CUSTOM_FIELDS and not field_map_has_fields(field_map):
        problems["activity_field_map"].append(NEEDS_ACTIVITY_MAP)


def field_map_has_fields(field_map: dict) -> bool:
    """Whether a well-formed field map maps at least one attribute (a kind may map none)."""
    return any(field_map.values())


# -- writing ------------------------------------------------------------------------------


@transaction.atomic
def _settings_write(document: dict[str, Any]) -> SyncSettings:
    settings = SyncSettings.locked()
    for key in SETTINGS_KEYS:
        if key in document:
            setattr(settings, key, document[key])
    settings.save()
    if "inclusion_rules" in document:
        settings.rules.all().delete()
        InclusionRule.objects.bulk_create(
            InclusionRule(settings=settings, **{key: rule.get(key, "") for key in RULE_KEYS})
            for rule in document["inclusion_rules"]
        )
    if "mappings" in document:
        FieldMapping.objects.all().delete()
        FieldMapping.objects.bulk_create(
            FieldMapping(**{key: mapping[key] for key in MAPPING_KEYS})
            for mapping in document["mappings"]
        )
    transaction.on_commit(schedules_sync)
    return settings
