"""The Composite resource: up to 25 subrequests in one API call.

As on Salesforce, the whole call counts as one API request; at most 5 subrequests may be
queries or sObject Collections calls; each subrequest answers with its own status and body
(`allOrNone` false). Long SOQL fits in the body, where the 16,384-byte URL limit of a GET
does not apply; the 100,000-character SOQL limit still does.
"""

import json
from urllib.parse import parse_qs, urlsplit

from ..errors import ApiError
from ..server.messages import Request, Response, Route, json_response

MAX_SUBREQUESTS = 25
MAX_HEAVY_SUBREQUESTS = 5  # query, queryAll and sObject Collections
HEAVY_PREFIXES = ("query", "queryAll", "composite/sobjects")


def composite(app, request: Request) -> Response:
    payload = request.json()
    if not isinstance(payload, dict) or not isinstance(payload.get("compositeRequest"), list):
        raise ApiError("JSON_PARSER_ERROR", "compositeRequest must be a list of subrequests.")
    if payload.get("allOrNone"):
        raise ApiError(
            "INVALID_INPUT", "This emulator supports composite calls with allOrNone=false."
        )
    subrequests = payload["compositeRequest"]
    _check_limits(subrequests, request)
    answers = []
    for subrequest in subrequests:
        method, path, query = _target(subrequest, request)
        response = app.dispatcher.subrequest(request, method, path, query, subrequest.get("body"))
        answers.append({
            "body": json.loads(response.body) if response.body else None,
            "httpHeaders": {},
            "httpStatusCode": response.status,
            "referenceId": subrequest["referenceId"],
        })  # fmt: skip
    return json_response({"compositeResponse": answers})


def _check_limits(subrequests: list, request: Request) -> None:
    if not 1 <= len(subrequests) <= MAX_SUBREQUESTS:
        raise ApiError(
            "INVALID_INPUT", f"A composite request takes 1 to {MAX_SUBREQUESTS} subrequests."
        )
    heavy = sum(
        1 for subrequest in subrequests
        if _target(subrequest, request)[1].startswith(HEAVY_PREFIXES)
    )  # fmt: skip
    if heavy > MAX_HEAVY_SUBREQUESTS:
        raise ApiError(
            "INVALID_INPUT",
            f"At most {MAX_HEAVY_SUBREQUESTS} subrequests may be queries or sObject Collections.",
        )
    references = [subrequest.get("referenceId") for subrequest in subrequests]
    if not all(isinstance(reference, str) and reference for reference in references):
        raise ApiError("INVALID_INPUT", "Every subrequest needs a referenceId.")
    if len(set(references)) != len(references):
        raise ApiError("INVALID_INPUT", "Duplicate referenceId in the composite request.")


def _target(subrequest: dict, request: Request) -> tuple[str, str, dict]:
    method, url = subrequest.get("method"), subrequest.get("url")
    if method not in ("GET", "POST", "PATCH", "PUT", "DELETE") or not isinstance(url, str):
        raise ApiError("INVALID_INPUT", "Every subrequest needs a method and a url.")
    parts = urlsplit(url)
    prefix = f"{request.data_base}/"
    if not parts.path.startswith(prefix):
        raise ApiError("INVALID_INPUT", f"Subrequest URLs must start with {prefix}")
    return method, parts.path.removeprefix(prefix), parse_qs(parts.query, keep_blank_values=True)


ROUTES = [Route("POST", r"composite/?", composite)]
