"""Opportunity's custom currency field (Won_Value__c) over HTTPS: described as a custom
currency field, and written and queried like Amount."""

from integrations.emulator.records.objects import WON_VALUE_FIELD


def _opportunity_fields(api) -> dict[str, dict]:
    described = api.get("sobjects/Opportunity/describe").json()
    return {field["name"]: field for field in described["fields"]}


def test_won_value_is_described_as_a_custom_currency_field(api):
    fields = _opportunity_fields(api)

    won_value = fields[WON_VALUE_FIELD]
    assert (won_value["type"], won_value["custom"]) == ("currency", True)
    assert (won_value["precision"], won_value["scale"]) == (16, 2)
    assert won_value["soapType"] == "xsd:double"
    assert (won_value["createable"], won_value["updateable"]) == (True, True)
    currency = [name for name, field in fields.items() if field["type"] == "currency"]
    assert currency == ["Amount", WON_VALUE_FIELD]


def test_won_value_is_written_and_queried(api):
    body = {"Name": "Deal", "StageName": "Closed Won", "CloseDate": "2030-01-31",
            "Amount": 1000, WON_VALUE_FIELD: 1250.5}  # fmt: skip

    deal = api.post("sobjects/Opportunity", json=body).json()["id"]
    rows = api.query(f"SELECT Id, {WON_VALUE_FIELD} FROM Opportunity WHERE Id = '{deal}'")

    assert rows.json()["records"][0][WON_VALUE_FIELD] == 1250.5


def test_won_value_takes_numbers_only(api):
    body = {"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2030-01-31",
            WON_VALUE_FIELD: "a lot"}  # fmt: skip

    response = api.post("sobjects/Opportunity", json=body)

    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"
