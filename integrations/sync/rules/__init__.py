"""The sync's pure decisions, with no I/O: which value wins (fields, conflicts, merge), what
is sent (payload), which Salesforce row a record matches (matching), ISO geo codes (geo),
which contacts may go out (inclusion) and what a deletion in Salesforce does (deletion).

Handlers feed them rows and records and act on the answers; each module has its own unit
tests under integrations/tests/sync/rules/.
"""
