"""The sync preview (dry run): a cycle's matching and planning, with nothing written.

`collector.Preview` is what a preview cycle carries (`Cycle.preview`): a store that writes
nothing locally, foreseen answers instead of Salesforce writes, and a recorder whose events
become the preview's report rows. The service (`services/sync_preview.py`) runs it.
"""
