"""The client's resilience: session renewal, retries, limits, paging, describe."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from integrations.choices import ConnectionStatus
from integrations.exceptions import (
    PermanentError,
    RateLimitedError,
    TransientError,
)
from integrations.models import ApiUsageHour, SalesforceConnection
from integrations.services.connection import salesforce_client

pytestmark = pytest.mark.django_db


def test_expired_session_is_renewed_and_the_call_retried_once(emulator, sf_client, connection):
    # given
    emulator.store.insert("Account", {"Name": "Acme"})
    old_token = connection.access_token
    emulator.faults.inject("session_expired")
    # when
    rows = list(sf_client.query("SELECT Id, Name FROM Account"))
    # then
    assert [row["Name"] for row in rows] == ["Acme"]
    assert SalesforceConnection.load().access_token not in ("", old_token)


def test_503_is_retried_with_backoff(emulator, sf_client):
    emulator.store.insert("Account", {"Name": "Acme"})
    emulator.faults.inject("503", times=2)
    before = emulator.api_calls
    rows = list(sf_client.query("SELECT Id FROM Account"))
    assert len(rows) == 1
    assert emulator.api_calls - before == 3


def test_503_beyond_the_attempt_budget_raises_transient_error(emulator, sf_client, settings):
    settings.SALESFORCE_MAX_ATTEMPTS = 3
    emulator.faults.inject("503", times=5)
    before = emulator.api_calls
    with pytest.raises(TransientError) as raised:
        sf_client.limits()
    assert raised.value.code == "SERVER_UNAVAILABLE"
    assert emulator.api_calls - before == 3


def test_lock_error_on_a_request_is_retried(emulator, sf_client):
    account = emulator.store.insert("Account", {"Name": "Acme"})
    emulator.faults.inject("lock", times=1)
    sf_client.request("PATCH", f"sobjects/Account/{account}", json={"Name": "Acme Inc"})
    assert emulator.store.get("Account", account)["Name"] == "Acme Inc"


def test_create_is_not_repeated_when_its_outcome_is_unknown(emulator, sf_client):
    # given: Salesforce commits the create, then the connection drops
    emulator.faults.inject("disconnect_after_apply")
    # when
    with pytest.raises(TransientError) as raised:
        sf_client.create("Contact", [{"LastName": "Once"}])
    # then: exactly one record, and the caller knows it must look before creating again
    assert raised.value.outcome_unknown
    assert emulator.store.count("Contact") == 1


def test_limit_exceeded_stops_and_pauses_without_busy_retrying(emulator, sf_client, connection):
    # given
    emulator.faults.inject("limit_exceeded", times=100)
    before = emulator.api_calls
    # when
    with pytest.raises(RateLimitedError) as raised:
        sf_client.limits()
    calls_after_first = emulator.api_calls
    with pytest.raises(RateLimitedError):
        salesforce_client().limits()
    # then: one call reached Salesforce; the second never left
    assert calls_after_first - before == 1
    assert emulator.api_calls == calls_after_first
    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.PAUSED
    assert stored.last_error_code == "REQUEST_LIMIT_EXCEEDED"
    assert stored.paused_until == raised.value.resume_at


def test_paused_sync_resumes_by_itself_after_the_pause(emulator, sf_client):
    emulator.faults.inject("limit_exceeded", times=1)
    with pytest.raises(RateLimitedError):
        sf_client.limits()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert salesforce_client().limits()["DailyApiRequests"]["Max"] > 0
        assert SalesforceConnection.load().status == ConnectionStatus.CONNECTED


def test_app_cap_stops_calls_before_they_reach_salesforce(emulator, connection):
    # given
    connection.api_cap_calls = ApiUsageHour.calls_in_last_24h() + 2
    connection.save()
    client = salesforce_client()
    # when
    client.limits()
    client.limits()
    with pytest.raises(RateLimitedError) as raised:
        client.limits()
    # then
    assert raised.value.code == "API_CAP_REACHED"
    assert SalesforceConnection.load().is_paused


def test_usage_is_recorded_per_call_and_org_counters_follow_the_header(emulator, sf_client):
    before = ApiUsageHour.calls_in_last_24h()
    emulator.set_api_usage(used=1234, max=15000)
    sf_client.limits()
    sf_client.limits()
    assert ApiUsageHour.calls_in_last_24h() == before + 2
    assert sf_client._guard.connection.org_api_max == 15000


def test_query_pages_through_next_records_url(emulator, sf_client):
    # given: more rows than one page of 2,000
    for index in range(2_345):
        emulator.store.insert("Lead", {"LastName": f"L{index}", "Company": "Acme"})
    emulator.reset_stats()
    # when
    rows = sf_client.query("SELECT Id, LastName FROM Lead")
    first = next(rows)
    # then: iterating is lazy (one page fetched so far), and all rows arrive
    assert emulator.api_calls == 1
    assert 1 + sum(1 for _ in rows) == 2_345
    assert emulator.api_calls == 2
    assert "attributes" not in first


def test_query_all_includes_deleted_records(emulator, sf_client):
    kept = emulator.store.insert("Account", {"Name": "Kept"})
    gone = emulator.store.insert("Account", {"Name": "Gone"})
    emulator.store.delete("Account", gone)
    live = {row["Id"] for row in sf_client.query("SELECT Id FROM Account")}
    everything = {
        row["Id"]: row["IsDeleted"]
        for row in sf_client.query("SELECT Id, IsDeleted FROM Account", include_deleted=True)
    }
    assert live == {kept}
    assert everything == {kept: False, gone: True}


def test_updated_and_deleted_windows(emulator, sf_client):
    # given
    start = timezone.now() - timedelta(minutes=5)
    changed = emulator.store.insert("Contact", {"LastName": "Changed"})
    removed = emulator.store.insert("Contact", {"LastName": "Removed"})
    emulator.store.delete("Contact", removed)
    end = timezone.now() + timedelta(minutes=1)
    window = {
        "start": start.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "end": end.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    }
    # when
    updated = sf_client.request("GET", "sobjects/Contact/updated/", params=window)
    deleted = sf_client.request("GET", "sobjects/Contact/deleted/", params=window)
    # then
    assert changed in updated["ids"]
    assert [item["id"] for item in deleted["deletedRecords"]] == [removed]


def test_describe_is_cached(emulator, sf_client):
    emulator.reset_stats()
    assert "Email" in sf_client.fields("Contact")
    assert "LastName" in sf_client.fields("Contact")
    assert emulator.api_calls == 1


def test_salesforce_errors_arrive_typed_with_a_hint(emulator, sf_client):
    with pytest.raises(PermanentError) as raised:
        list(sf_client.query("SELECT Id, Nonsense FROM Contact"))
    assert raised.value.code == "INVALID_FIELD"
    assert raised.value.hint


def test_long_in_lists_go_five_statements_per_composite_call(emulator, sf_client, settings):
    # given: statements of at most ~1,000 characters, so 300 values need several
    settings.SALESFORCE_QUERY_MAX_CHARS = 1_000
    wanted = [f"p{index}@example.com" for index in range(300)]
    for email in wanted[:40]:
        emulator.store.insert("Contact", {"LastName": "X", "Email": email})
    emulator.reset_stats()
    # when
    rows = list(sf_client.query_in("Contact", ["Id", "Email"], field="Email", values=wanted))
    # then
    assert sorted(row["Email"] for row in rows) == sorted(wanted[:40])
    statements = 300 * len("'p100@example.com',") // 1_000 + 1
    assert emulator.api_calls_by_path("composite") == -(-statements // 5)
    assert emulator.api_calls == emulator.api_calls_by_path("composite")


def test_emulator_refuses_more_than_five_queries_in_one_composite_call(emulator, sf_client):
    url = f"/services/data/v{sf_client.api_version}/query?q=SELECT+Id+FROM+Account"
    subrequests = [{"method": "GET", "url": url, "referenceId": f"q{n}"} for n in range(6)]
    with pytest.raises(PermanentError) as raised:
        sf_client.request("POST", "composite", json={"compositeRequest": subrequests})
    assert "At most 5" in raised.value.message
