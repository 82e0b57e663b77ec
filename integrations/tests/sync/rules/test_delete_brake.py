"""The mass-delete brake's threshold (pure)."""

import pytest

from integrations.sync.rules.delete_brake import brake_threshold, brake_trips


@pytest.mark.parametrize(
    ("percent", "count", "linked", "threshold"),
    [
        (5, 500, 20_000, 500),  # the count is smaller
        (5, 500, 2_000, 100),  # the percentage is smaller
        (5, 500, 10, 1),  # never below one
        (5, 500, 0, 1),
        (100, 3, 50, 3),
    ],
)
def test_threshold_is_the_smaller_of_percent_and_count(percent, count, linked, threshold):
    assert brake_threshold(percent=percent, count=count, linked=linked) == threshold


def test_only_more_than_the_threshold_trips():
    assert not brake_trips(deletions=5, threshold=5)
    assert brake_trips(deletions=6, threshold=5)
