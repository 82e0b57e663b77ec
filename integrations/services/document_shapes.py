"""Shape checks of the JSON documents the "as code" commands import: each check adds its
problem, in plain words, under the value's key path (e.g. `surveys[0].questions[2].kind`)."""

from __future__ import annotations

import re
from typing import Any

Problems = dict[str, list[str]]


def document_entries(
    value: Any, path: str, allowed: tuple[str, ...], problems: Problems
) -> list[tuple[str, dict]]:
    """(path, entry) of the list's objects; problems for what is not an object, unknown keys."""
    if not isinstance(value, list):
        problems[path].append("Use a list.")
        return []
    entries = []
    for index, entry in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            problems[where].append("Use an object.")
            continue
        unknown_keys_check(entry, where, allowed, problems)
        entries.append((where, entry))
    return entries


def unknown_keys_check(entry: dict, where: str, allowed: tuple[str, ...], problems: Problems):
    for key in sorted(set(entry) - set(allowed)):
        problems[f"{where}.{key}"].append("Unknown key.")


def text_check(
    entry: dict, key: str, where: str, problems: Problems, *, max_length: int | None = None,
    required: bool = True, pattern: re.Pattern | None = None, hint: str = "",
) -> None:  # fmt: skip
    if key not in entry:
        if required:
            problems[f"{where}.{key}"].append("Required.")
        return
    value = entry[key]
    if not isinstance(value, str):
        problems[f"{where}.{key}"].append("Use a string.")
    elif required and not value.strip():
        problems[f"{where}.{key}"].append("Required.")
    elif max_length is not None and len(value) > max_length:
        problems[f"{where}.{key}"].append(f"Use at most {max_length} characters.")
    elif pattern is not None and value and not pattern.fullmatch(value):
        problems[f"{where}.{key}"].append(hint)


def count_check(entry: dict, key: str, where: str, problems: Problems) -> None:
    value = entry.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems[f"{where}.{key}"].append("Use a whole number, 0 or more.")


def flag_check(entry: dict, key: str, where: str, problems: Problems) -> None:
    if not isinstance(entry.get(key, False), bool):
        problems[f"{where}.{key}"].append("Use true or false.")


def choice_check(
    entry: dict, key: str, where: str, problems: Problems, choices: list[str], *,
    required: bool = False,
) -> None:  # fmt: skip
    """The value is one of `choices`; when not required, a missing value is the first."""
    if key not in entry and not required:
        return
    if entry.get(key) not in choices:
        problems[f"{where}.{key}"].append(f"Use one of: {', '.join(choices)}.")
