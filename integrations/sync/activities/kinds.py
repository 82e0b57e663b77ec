"""The interface of a kind of tracked record the Task writer writes (visits, links,
write-back activities): what it is matched by, who owns its Task, its Task's values, and
what it does when nothing matches. Each activity handler has one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.sync.activities.matching import Wanted
from integrations.sync.cycle import Cycle

if TYPE_CHECKING:
    from integrations.sync.activities.writer import TaskWriter


class TaskKind:
    """What a kind of tracked record does; the handlers subclass it."""

    model: type

    def prepare(self, records: list) -> None:
        """Load what the batch's Task values need besides the records (one query or so)."""

    def wanted(self, record) -> Wanted:
        raise NotImplementedError

    def owner_email(self, record) -> str:
        return ""

    def task_values(self, record, cycle: Cycle) -> dict:
        """The Task's fields besides WhoId, WhatId, OwnerId and the external id."""
        raise NotImplementedError

    def unmatched(self, writer: TaskWriter, records: list) -> list:
        """Records nothing matched: by default they wait, unresolved, and are retried."""
        writer.wait_unresolved(records)
        return []
