"""Injected faults, latency and the daily API limit, as the product's client meets them."""

import threading
import time

import pytest
import requests


def test_503_strikes_the_next_calls_then_stops(api):
    api.emulator.faults.inject("503", times=2)

    statuses = [api.get("limits").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]


def test_faults_only_strike_matching_paths(api):
    api.emulator.faults.inject("503", path_contains="/query")

    assert api.get("limits").status_code == 200
    assert api.query("SELECT Id FROM Account").status_code == 503


def test_limit_exceeded_fault(api):
    api.emulator.faults.inject("limit_exceeded")

    response = api.get("limits")

    assert response.status_code == 403
    assert response.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]


def test_the_daily_limit_is_enforced(api):
    api.emulator.set_api_usage(used=99, max=100)

    last_allowed = api.get("limits")
    refused = api.get("limits")

    assert last_allowed.headers["Sforce-Limit-Info"] == "api-usage=100/100"
    assert refused.status_code == 403


def test_lock_on_a_single_record_write_fails_the_call(api):
    api.emulator.faults.inject("lock")

    response = api.post("sobjects/Account", json={"Name": "Acme"})

    assert response.json()[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    assert api.emulator.store.count("Account") == 0


def test_disconnect_after_apply_commits_but_never_answers(api):
    api.emulator.faults.inject("disconnect_after_apply")

    with pytest.raises(requests.ConnectionError):
        api.post("sobjects/Account", json={"Name": "Committed"})

    assert [a["Name"] for a in api.emulator.store.all("Account")] == ["Committed"]
    assert api.get("limits").status_code == 200


def test_delay_and_latency_slow_calls_down(api):
    api.emulator.faults.inject("delay", seconds=0.2)
    started = time.monotonic()
    api.get("limits")
    delayed = time.monotonic() - started

    api.emulator.latency = 0.05
    started = time.monotonic()
    api.get("limits")
    with_latency = time.monotonic() - started

    assert delayed >= 0.2
    assert 0.05 <= with_latency < 0.2


def test_unknown_fault_kinds_are_refused(org):
    with pytest.raises(ValueError, match="unknown fault kind"):
        org.faults.inject("meteor")


def test_delay_after_apply_commits_before_the_late_answer(api):
    api.emulator.faults.inject("delay_after_apply", seconds=0.5)
    answered = []
    writer = threading.Thread(
        target=lambda: answered.append(api.post("sobjects/Account", json={"Name": "Early"}))
    )
    writer.start()
    deadline = time.monotonic() + 0.4
    while not api.emulator.store.count("Account") and time.monotonic() < deadline:
        time.sleep(0.01)

    committed_before_answer = api.emulator.store.count("Account") == 1 and not answered
    writer.join()

    assert committed_before_answer
    assert answered[0].status_code == 201
