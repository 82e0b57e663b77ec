"""Records as the REST API shows them: `attributes` first, then fields in wire format.

Query rows nest parent fields under their relationship name
(`{"Account": {"attributes": {...}, "Name": "Acme"}}`), or null when the lookup is empty.
"""

from ..records.values import to_wire


def attributes(base: str, object_name: str, record_id: str) -> dict:
    return {"type": object_name, "url": f"{base}/sobjects/{object_name}/{record_id}"}


def render_record(base: str, object_name: str, record: dict, fields=None, *, blobs=()) -> dict:
    """A record with all its fields, or just `fields` (canonical names); the `blobs` (base64
    fields) show as the URL their bytes are served at, as in Salesforce."""
    rendered = {"attributes": attributes(base, object_name, record["Id"])}
    for name in fields if fields is not None else record:
        rendered[name] = _wire(base, object_name, record, name, blobs)
    return rendered


def _wire(base: str, object_name: str, record: dict, name: str, blobs) -> object:
    value = record.get(name)
    if name in blobs and value is not None:
        return f"{attributes(base, object_name, record['Id'])['url']}/{name}"
    return to_wire(value)


def select_tree(paths: list[str]) -> dict:
    """SELECT paths as a tree: ["Id", "Account.Name"] -> {"Id": None, "Account": {"Name": None}}."""
    tree: dict = {}
    for path in paths:
        node = tree
        *relationships, field = path.split(".")
        for relationship in relationships:
            node = node.setdefault(relationship, {})
        node[field] = None
    return tree


def render_row(base: str, schema, record: dict, tree: dict, get_parent) -> dict:
    """One query result row following the select tree."""
    sobject = schema.for_id(record["Id"])
    row = {"attributes": attributes(base, sobject.name, record["Id"])}
    for name, subtree in tree.items():
        if subtree is None:
            row[name] = _wire(base, sobject.name, record, name, sobject.blob_fields)
        else:
            parent = get_parent(record, name)
            row[name] = (
                None if parent is None else render_row(base, schema, parent, subtree, get_parent)
            )
    return row
