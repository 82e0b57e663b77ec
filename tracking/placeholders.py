"""The `{placeholder}` templates of survey emails: checked when a survey is saved, rendered
when an invitation is sent (and for the admin's preview).

A placeholder is a name of letters, digits, `_` and `.` in braces (`{survey_url}`,
`{Contact.FirstName}`); `{{` and `}}` stand for literal braces. Any other brace is an error
when the template is saved. Embedded data keys are free-form, so any well-formed name is
allowed; a name with no value renders as empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# One token at a time: an escaped brace, a placeholder, or a stray brace.
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_.]+)\}|\{|\}")


def placeholders_errors(template: str) -> list[str]:
    """Why this template cannot be rendered (empty when it can)."""
    errors = []
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}") or match.group(1):
            continue
        errors.append(
            f"Stray “{token}” at character {match.start() + 1}: a placeholder is a name of "
            "letters, digits, _ and . in braces, like {survey_url}; write {{ or }} for a "
            "literal brace."
        )
    return errors


def placeholder_value(values: Mapping, name: str) -> str:
    """The value of `name`: a key of `values` as written, else a dotted path into nested
    mappings; empty when there is none."""
    if name in values:
        value = values[name]
    else:
        value = values
        for part in name.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return ""
            value = value[part]
    if value is None or isinstance(value, Mapping | list):
        return ""
    return str(value)


def placeholders_render(template: str, values: Mapping, *, show_missing: bool = False) -> str:
    """The template with every placeholder replaced by its value (see `placeholder_value`);
    with `show_missing` (the admin's preview), a name without a value shows as «name»."""

    def replace(match: re.Match) -> str:
        token, name = match.group(0), match.group(1)
        if name:
            value = placeholder_value(values, name)
            return f"«{name}»" if show_missing and not value else value
        return token[0] if token in ("{{", "}}") else token

    return _TOKEN.sub(replace, template)
