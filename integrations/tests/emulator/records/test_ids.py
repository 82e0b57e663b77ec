"""Record ids: key prefixes, the 18-character checksum, 15-character input."""

from integrations.emulator.records.ids import checksum, make_id, normalize_id


def test_checksum_matches_salesforce_for_a_known_id():
    # A real Salesforce account id and its published 18-character form.
    assert checksum("001A0000006Vm9r") == "IAC"


def test_made_ids_carry_the_key_prefix_and_a_valid_checksum():
    record_id = make_id("003", 12345)

    assert record_id.startswith("003")
    assert len(record_id) == 18
    assert normalize_id(record_id) == record_id


def test_fifteen_character_ids_are_accepted_and_extended():
    record_id = make_id("001", 42)

    assert normalize_id(record_id[:15]) == record_id


def test_malformed_ids_are_rejected():
    record_id = make_id("001", 42)

    assert normalize_id("not-an-id") is None
    assert normalize_id(record_id[:17]) is None
    assert normalize_id(record_id[:15] + "ZZZ") is None
    assert normalize_id(record_id[:15] + "\n") is None
    assert normalize_id(record_id + "\n") is None
