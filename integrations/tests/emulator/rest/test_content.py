"""ContentNote and ContentDocumentLink over HTTPS: create, link, query, describe, refusals."""

import base64

import pytest


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _error(response):
    (error,) = response.json()
    return error["errorCode"], error["message"], error.get("fields", [])


@pytest.fixture
def contact_id(api):
    return api.emulator.store.insert("Contact", {"LastName": "Cole"})


def _note(api, title="Visit", html="<p>Met &amp; talked</p>"):
    return api.post("sobjects/ContentNote", json={"Title": title, "Content": _b64(html)})


def test_note_is_created_and_linked_to_a_contact(api, contact_id):
    note_id = _note(api).json()["id"]

    link = api.post("sobjects/ContentDocumentLink", json={
        "ContentDocumentId": note_id, "LinkedEntityId": contact_id, "ShareType": "V",
    })  # fmt: skip
    rows = api.query(
        "SELECT Id, ContentDocumentId, ShareType, Visibility FROM ContentDocumentLink "
        f"WHERE LinkedEntityId = '{contact_id}'"
    ).json()["records"]
    note = api.query(f"SELECT Title, TextPreview, FileType FROM ContentNote WHERE Id = '{note_id}'")

    assert note_id.startswith("069")
    assert link.status_code == 201
    assert [(r["ContentDocumentId"], r["ShareType"], r["Visibility"]) for r in rows] == [
        (note_id, "V", "AllUsers")
    ]
    assert note.json()["records"][0]["TextPreview"] == "Met & talked"
    assert note.json()["records"][0]["FileType"] == "SNOTE"


def test_note_content_is_served_at_its_own_url_as_in_salesforce(api):
    note_id = _note(api, html="<p>It&#39;s done</p>").json()["id"]

    record = api.get(f"sobjects/ContentNote/{note_id}").json()
    row = api.query(f"SELECT Content FROM ContentNote WHERE Id = '{note_id}'").json()["records"][0]
    blob = api.get(record["Content"])

    assert record["Content"] == f"/services/data/v62.0/sobjects/ContentNote/{note_id}/Content"
    assert row["Content"] == record["Content"]
    assert blob.content == b"<p>It&#39;s done</p>"


def test_note_content_cannot_be_filtered_on(api):
    response = api.query("SELECT Id FROM ContentNote WHERE Content = null")

    assert response.status_code == 400
    assert _error(response)[0] == "INVALID_FIELD"


def test_links_are_queried_only_for_given_documents_or_records(api, contact_id):
    note_id = _note(api).json()["id"]
    api.post("sobjects/ContentDocumentLink", json={
        "ContentDocumentId": note_id, "LinkedEntityId": contact_id, "ShareType": "V"})  # fmt: skip

    unfiltered = api.query("SELECT Id FROM ContentDocumentLink")
    by_note = api.query(
        f"SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId IN ('{note_id}')"
    )

    assert unfiltered.status_code == 400
    assert _error(unfiltered)[0] == "MALFORMED_QUERY"
    assert "Implementation restriction" in _error(unfiltered)[1]
    assert by_note.json()["totalSize"] == 1


def test_note_with_unescaped_characters_is_refused(api):
    response = _note(api, html="Tom & Jerry's")

    assert response.status_code == 400
    assert _error(response) == (
        "FIELD_INTEGRITY_EXCEPTION",
        "Note can't be saved because it contains HTML tags or unescaped characters that are not "
        "allowed in a Note.",
        ["Content"],
    )
    assert api.emulator.store.count("ContentNote") == 0


def test_note_update_with_a_disallowed_tag_is_refused(api):
    note_id = _note(api).json()["id"]

    response = api.patch(
        f"sobjects/ContentNote/{note_id}", json={"Content": _b64("<script>x</script>")}
    )

    assert _error(response)[0] == "FIELD_INTEGRITY_EXCEPTION"
    assert api.emulator.store.get("ContentNote", note_id)["TextPreview"] == "Met & talked"


def test_note_content_must_be_base64(api):
    response = api.post("sobjects/ContentNote", json={"Title": "Visit", "Content": "not base64!"})

    assert response.status_code == 400
    assert api.emulator.store.count("ContentNote") == 0


@pytest.mark.parametrize("title", [None, "", "   "])
def test_note_title_must_not_be_blank(api, title):
    response = _note(api, title=title)

    assert _error(response)[0] == "REQUIRED_FIELD_MISSING"


def test_link_needs_a_note_and_a_contact_lead_or_account(api, contact_id):
    note_id = _note(api).json()["id"]
    task_id = api.emulator.store.insert("Task", {"Subject": "Call"})

    def link(**fields):
        return api.post("sobjects/ContentDocumentLink", json=fields)

    to_task = link(ContentDocumentId=note_id, LinkedEntityId=task_id, ShareType="V")
    not_a_note = link(ContentDocumentId=contact_id, LinkedEntityId=contact_id, ShareType="V")
    bad_share = link(ContentDocumentId=note_id, LinkedEntityId=contact_id, ShareType="X")
    no_share = link(ContentDocumentId=note_id, LinkedEntityId=contact_id)

    assert _error(to_task)[0] == "FIELD_INTEGRITY_EXCEPTION"
    assert _error(not_a_note)[0] == "FIELD_INTEGRITY_EXCEPTION"
    assert _error(bad_share)[0] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert _error(no_share)[0] == "REQUIRED_FIELD_MISSING"
    assert api.emulator.store.count("ContentDocumentLink") == 0


def test_link_cannot_be_moved_to_another_record(api, contact_id):
    note_id = _note(api).json()["id"]
    link_id = api.post(
        "sobjects/ContentDocumentLink",
        json={"ContentDocumentId": note_id, "LinkedEntityId": contact_id, "ShareType": "V"},
    ).json()["id"]
    other_id = api.emulator.store.insert("Account", {"Name": "Acme"})

    response = api.patch(f"sobjects/ContentDocumentLink/{link_id}",
                         json={"LinkedEntityId": other_id})  # fmt: skip

    assert _error(response)[0] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_describe_covers_notes_links_and_tasks(api):
    note = {f["name"]: f for f in api.get("sobjects/ContentNote/describe").json()["fields"]}
    link = {f["name"]: f for f in api.get("sobjects/ContentDocumentLink/describe").json()["fields"]}
    task = {f["name"]: f for f in api.get("sobjects/Task/describe").json()["fields"]}

    assert note["Content"]["type"] == "base64"
    assert note["Title"]["nillable"] is False
    assert note["TextPreview"]["createable"] is False
    assert link["LinkedEntityId"]["referenceTo"] == ["Account", "Contact", "Lead", "Opportunity",
                                                     "User"]  # fmt: skip
    assert [v["value"] for v in link["ShareType"]["picklistValues"]] == ["V", "C", "I"]
    assert (task["TaskSubtype"]["createable"], task["TaskSubtype"]["updateable"]) == (True, False)
    assert [v["value"] for v in task["TaskSubtype"]["picklistValues"]] == [
        "Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"
    ]  # fmt: skip
    assert task["CRMBridge_Id__c"]["externalId"] is True
    assert task["CallDurationInSeconds"]["type"] == "int"


def _link(api, note_id, record_id):
    return api.post("sobjects/ContentDocumentLink", json={
        "ContentDocumentId": note_id, "LinkedEntityId": record_id, "ShareType": "V",
    }).json()["id"]  # fmt: skip


def test_links_go_to_the_recycle_bin_with_their_record(api, contact_id):
    link_id = _link(api, _note(api).json()["id"], contact_id)

    api.delete(f"sobjects/Contact/{contact_id}")
    deleted = api.emulator.store.get("ContentDocumentLink", link_id)
    api.emulator.store.undelete("Contact", contact_id)

    assert deleted["IsDeleted"] is True
    assert api.emulator.store.get("ContentDocumentLink", link_id)["IsDeleted"] is False


def test_a_converted_leads_note_links_follow_it_to_the_contact(api):
    store = api.emulator.store
    lead_id = store.insert("Lead", {"LastName": "Lee", "Company": "Leadco"})
    link_id = _link(api, _note(api).json()["id"], lead_id)

    converted = store.convert_lead(lead_id)

    assert store.get("ContentDocumentLink", link_id)["LinkedEntityId"] == converted["contactId"]


def test_a_note_deleted_through_collections_takes_its_links_and_stays_deleted(api, contact_id):
    note_id = _note(api).json()["id"]
    link_id = _link(api, note_id, contact_id)

    def delete():
        return api.delete("composite/sobjects", params={"ids": note_id, "allOrNone": "false"})

    first, again = delete().json(), delete().json()

    assert first == [{"id": note_id, "success": True, "errors": []}]
    assert again[0]["errors"][0]["statusCode"] == "ENTITY_IS_DELETED"
    assert api.emulator.store.get("ContentDocumentLink", link_id)["IsDeleted"] is True
    assert api.query(f"SELECT Id FROM ContentNote WHERE Id = '{note_id}'").json()["totalSize"] == 0
    assert api.emulator.store.get("Contact", contact_id)["IsDeleted"] is False
