"""The sync engine: match, plan, write, record — and its pure policies."""
