"""query and queryAll over HTTPS: shapes, paging, the recycle bin and SOQL errors."""

import pytest

from integrations.emulator.soql.engine import SoqlError


@pytest.fixture
def contacts(api):
    store = api.emulator.store
    account_id = store.insert("Account", {"Name": "Acme"})
    with store.lock:
        ids = [
            store.insert("Contact", {"LastName": f"Person {n:04d}", "AccountId": account_id})
            for n in range(2500)
        ]
    return ids


def _all_pages(api, response):
    pages = [response.json()]
    while not pages[-1]["done"]:
        pages.append(api.get(pages[-1]["nextRecordsUrl"]).json())
    return pages


def test_rows_have_attributes_and_nested_parents(api):
    store = api.emulator.store
    account_id = store.insert("Account", {"Name": "Acme"})
    store.insert("Contact", {"LastName": "Orphan"})
    store.insert("Contact", {"LastName": "Child", "AccountId": account_id})

    body = api.query("SELECT Name, Account.Name, CreatedDate FROM Contact ORDER BY Name").json()

    assert body["totalSize"] == 2
    assert body["done"] is True
    child, orphan = body["records"]
    assert child["attributes"]["type"] == "Contact"
    assert child["Account"] == {
        "attributes": {
            "type": "Account",
            "url": f"/services/data/v62.0/sobjects/Account/{account_id}",
        },
        "Name": "Acme",
    }
    assert orphan["Account"] is None
    assert child["CreatedDate"].endswith(".000+0000") or child["CreatedDate"][-8:-5].isdigit()


def test_results_over_2000_rows_are_paged(api, contacts):
    first = api.query("SELECT Id FROM Contact")
    pages = _all_pages(api, first)

    assert [len(page["records"]) for page in pages] == [2000, 500]
    assert pages[0]["nextRecordsUrl"].startswith("/services/data/v62.0/query/01g")
    assert pages[0]["nextRecordsUrl"].endswith("-2000")
    assert {row["Id"] for page in pages for row in page["records"]} == set(contacts)
    assert all(page["totalSize"] == 2500 for page in pages)


def test_batch_size_header_sets_the_page_size(api, contacts):
    response = api.query("SELECT Id FROM Contact WHERE Name LIKE 'Person 0%'",
                         headers={"Sforce-Query-Options": "batchSize=300"})  # fmt: skip

    assert [len(page["records"]) for page in _all_pages(api, response)] == [300, 300, 300, 100]


def test_an_unknown_query_locator_is_refused(api):
    response = api.get("query/01g8d00000000ZZAAA-2000")

    assert response.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_count_query(api, contacts):
    body = api.query("SELECT COUNT() FROM Contact WHERE Name LIKE 'Person 00%'").json()

    assert body == {"totalSize": 100, "done": True, "records": []}


def test_query_all_includes_the_recycle_bin(api):
    store = api.emulator.store
    kept = store.insert("Lead", {"LastName": "Kept", "Company": "K"})
    binned = store.insert("Lead", {"LastName": "Binned", "Company": "B"})
    store.delete("Lead", binned)

    live = api.query("SELECT Id FROM Lead").json()
    everything = api.get("queryAll", params={"q": "SELECT Id, IsDeleted FROM Lead"}).json()

    assert [row["Id"] for row in live["records"]] == [kept]
    assert {(row["Id"], row["IsDeleted"]) for row in everything["records"]} == {
        (kept, False),
        (binned, True),
    }


def test_equality_on_an_indexed_field_finds_the_record(api):
    store = api.emulator.store
    contact_id = store.insert("Contact", {"LastName": "O'Brien", "Email": "ob@example.com"})

    by_email = api.query("SELECT Id FROM Contact WHERE Email = 'OB@example.com'").json()
    by_name = api.query("SELECT Id FROM Contact WHERE LastName = 'O\\'Brien'").json()

    assert [row["Id"] for row in by_email["records"]] == [contact_id]
    assert [row["Id"] for row in by_name["records"]] == [contact_id]


@pytest.mark.parametrize(
    ("soql", "code"),
    [
        ("SELECT Id FROM Contact WHERE", "MALFORMED_QUERY"),
        ("SELECT Shoe_Size__c FROM Contact", "INVALID_FIELD"),
        ("SELECT Id FROM Spaceship__c", "INVALID_TYPE"),
        ("SELECT Id FROM Contact WHERE Name='x' OR Name='y' AND Title='z'", "MALFORMED_QUERY"),
        ("SELECT Id FROM Contact WHERE CreatedDate > '2024-01-01'", "INVALID_FIELD"),
    ],
)  # fmt: skip
def test_bad_soql_is_rejected_with_salesforce_codes(api, soql, code):
    response = api.query(soql)

    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == code


def test_soql_over_100000_characters_is_malformed(org):
    values = ",".join(f"'{n:08d}'" for n in range(9200))
    soql = f"SELECT Id FROM Contact WHERE LastName IN ({values})"

    with pytest.raises(SoqlError) as raised:
        org.store.query(soql, include_deleted=False)

    assert len(soql) > 100_000
    assert raised.value.error_code == "MALFORMED_QUERY"
