"""The sync engine: a cycle walks the handler table (one handler per Salesforce object),
pulling Salesforce's changes and pushing local ones; the decisions live in `rules`."""
