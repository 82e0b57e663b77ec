"""Saving and loading the emulator's data, as the command does across demo restarts."""

from datetime import date

from integrations.emulator import Emulator


def test_state_survives_a_restart(tmp_path):
    before = Emulator()
    account_id = before.store.insert("Account", {"Name": "Kept", "CRMBridge_Id__c": "k-1"})
    contact_id = before.store.insert("Contact", {"LastName": "Born", "Birthdate": "1990-05-01"})
    binned = before.store.insert("Lead", {"LastName": "Binned", "Company": "B"})
    before.store.delete("Lead", binned)
    before.save_state(tmp_path / "state.json")

    after = Emulator()
    after.load_state(tmp_path / "state.json")
    new_id = after.store.insert("Account", {"Name": "New"})

    assert after.store.get("Account", account_id) == before.store.get("Account", account_id)
    assert after.store.get("Contact", contact_id)["Birthdate"] == date(1990, 5, 1)
    assert [entry.record_id for entry in after.store.deleted_entries()] == [binned]
    assert after.store.find_live(after.store.object_type("Account"), "CRMBridge_Id__c", "K-1")
    assert new_id not in {account_id, contact_id, binned}
    assert (
        after.store.get("Account", new_id)["SystemModstamp"]
        > after.store.get("Account", account_id)["SystemModstamp"]
    )
