"""The two error shapes the emulator answers with.

REST errors are a JSON list of `{"message", "errorCode", "fields"}`; the same error inside a
per-record result (collections, bulk) is `{"statusCode", "message", "fields"}`. OAuth endpoints
answer `{"error", "error_description"}` instead.
"""


class ApiError(Exception):
    """A Salesforce REST error: an error code, its message and the fields it concerns."""

    def __init__(self, error_code: str, message: str, *, status: int = 400, fields=()):
        super().__init__(message)
        self.error_code = error_code
        self.message = message
        self.status = status
        self.fields = list(fields)

    def as_rest_body(self) -> list[dict]:
        error = {"message": self.message, "errorCode": self.error_code}
        if self.fields:
            error["fields"] = self.fields
        return [error]

    def as_record_error(self) -> dict:
        return {"statusCode": self.error_code, "message": self.message, "fields": self.fields}

    def as_bulk_error(self) -> str:
        return f"{self.error_code}:{self.message}:{','.join(self.fields)} --"


class OAuthError(Exception):
    """An OAuth 2.0 error answered as `{"error", "error_description"}`."""

    def __init__(self, error: str, description: str, *, status: int = 400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def as_body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def not_found() -> ApiError:
    return ApiError("NOT_FOUND", "The requested resource does not exist", status=404)
