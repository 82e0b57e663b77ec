"""`query` and `queryAll`, with Salesforce's paging.

A result larger than one batch (2,000 rows by default; `Sforce-Query-Options: batchSize=N`
asks for 200-2,000) is served page by page: each page links the next as
`nextRecordsUrl = /services/data/vNN.N/query/01g...-2000`. The matched records are kept as a
snapshot under a query locator; the oldest locators are dropped when too many are open.
"""

import itertools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..errors import ApiError
from ..records.ids import make_id
from ..server.messages import Request, Response, Route, json_response
from ..soql.engine import CompiledQuery, SoqlError
from .render import render_row, select_tree

DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE = 2000, 200
MAX_OPEN_CURSORS = 200
_BATCH_SIZE = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)


@dataclass
class Cursor:
    locator: str
    compiled: CompiledQuery
    records: list[dict]
    resource: str  # "query" or "queryAll"
    batch_size: int


class QueryCursors:
    """Open query locators, oldest dropped first; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._serials = itertools.count(1)

    def open(self, compiled, records, resource, batch_size) -> Cursor:
        with self._lock:
            locator = make_id("01g", next(self._serials))
            cursor = Cursor(locator, compiled, records, resource, batch_size)
            self._cursors[locator] = cursor
            while len(self._cursors) > MAX_OPEN_CURSORS:
                self._cursors.popitem(last=False)
            return cursor

    def get(self, locator: str) -> Cursor | None:
        with self._lock:
            return self._cursors.get(locator)


def query(app, request: Request) -> Response:
    return _first_page(app, request, resource="query", include_deleted=False)


def query_all(app, request: Request) -> Response:
    return _first_page(app, request, resource="queryAll", include_deleted=True)


def next_page(app, request: Request, resource: str, locator: str, offset: str) -> Response:
    cursor = app.cursors.get(locator)
    if cursor is None or int(offset) >= len(cursor.records):
        raise ApiError("INVALID_QUERY_LOCATOR", "invalid query locator")
    return _page(app, request, cursor, int(offset))


def _first_page(app, request: Request, *, resource: str, include_deleted: bool) -> Response:
    soql = request.param("q")
    if not soql:
        raise ApiError("MALFORMED_QUERY", "A query string has to be specified")
    try:
        compiled, records = app.store.query(soql, include_deleted=include_deleted)
    except SoqlError as error:
        raise ApiError(error.error_code, str(error)) from error
    if compiled.is_count:
        return json_response({"totalSize": len(records), "done": True, "records": []})
    batch_size = _batch_size(request) or DEFAULT_BATCH_SIZE
    if len(records) <= batch_size:
        return json_response(_body(app, request, compiled, records, records))
    cursor = app.cursors.open(compiled, records, resource, batch_size)
    return _page(app, request, cursor, 0)


def _page(app, request: Request, cursor: Cursor, start: int) -> Response:
    end = start + (_batch_size(request) or cursor.batch_size)
    body = _body(app, request, cursor.compiled, cursor.records, cursor.records[start:end])
    if end < len(cursor.records):
        body["done"] = False
        body["nextRecordsUrl"] = f"{request.data_base}/{cursor.resource}/{cursor.locator}-{end}"
    return json_response(body)


def _body(app, request: Request, compiled, records: list, page: list) -> dict:
    tree = select_tree(compiled.select)
    store = app.store
    with store.lock:
        rows = [
            render_row(request.data_base, store.schema, record, tree, store.get_parent)
            for record in page
        ]
    return {"totalSize": len(records), "done": True, "records": rows}


def _batch_size(request: Request) -> int | None:
    """The batch size a client asked for, clamped to Salesforce's 200-2,000."""
    found = _BATCH_SIZE.search(request.header("Sforce-Query-Options") or "")
    if not found:
        return None
    return min(max(int(found.group(1)), MIN_BATCH_SIZE), DEFAULT_BATCH_SIZE)


ROUTES = [
    Route("GET", r"query/?", query),
    Route("GET", r"queryAll/?", query_all),
    Route("GET", r"(?P<resource>query|queryAll)/(?P<locator>01g\w+)-(?P<offset>\d+)", next_page),
]
