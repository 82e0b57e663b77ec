"""The mass-delete brake's rule: how many deletions one cycle may make without asking."""

from __future__ import annotations


def brake_threshold(*, percent: int, count: int, linked: int) -> int:
    """The smaller of `percent` % of the `linked` records and `count`; never below one, so
    a single deletion (in a small org, more than the percentage) goes through."""
    return max(1, min(linked * percent // 100, count))


def brake_trips(*, deletions: int, threshold: int) -> bool:
    """More deletions than the threshold: hold them all."""
    return deletions > threshold
