"""Closing a Case as a support agent would (the demo's and tests' way to fire the Outbound
Message rule on Case): by its CaseNumber, or the oldest open Case when none is given."""

from ..errors import ApiError

CLOSED_STATUS = "Closed"


def close_case(store, *, case_number: str | None = None, user_id: str | None = None) -> dict:
    """Set the Case's Status to Closed; returns its Id and CaseNumber."""
    with store.lock:
        cases = sorted(store.all("Case"), key=lambda case: case["CaseNumber"])
        if case_number:
            matches = [case for case in cases if case["CaseNumber"] == case_number.strip()]
            if not matches:
                raise ApiError("NOT_FOUND", f"No Case has CaseNumber {case_number}.", status=404)
            case = matches[0]
            if case["IsClosed"]:
                raise ApiError("INVALID_OPERATION", f"Case {case_number} is already closed.")
        else:
            open_cases = [case for case in cases if not case["IsClosed"]]
            if not open_cases:
                raise ApiError("NOT_FOUND", "There is no open Case to close.", status=404)
            case = open_cases[0]
        store.update("Case", case["Id"], {"Status": CLOSED_STATUS}, user_id)
        return {"id": case["Id"], "case_number": case["CaseNumber"]}
