"""Per-record results of batched writes, the same shape for collections and Bulk API 2.0."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordError:
    code: str
    message: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordResult:
    """What happened to the input record at `index` (its position in the caller's list)."""

    index: int
    success: bool
    id: str | None = None
    created: bool = False
    errors: tuple[RecordError, ...] = field(default_factory=tuple)

    @property
    def error_codes(self) -> tuple[str, ...]:
        return tuple(error.code for error in self.errors)
