"""The unresolved activities report's reads: the links, visits and activities that no Contact,
Lead or Account matched (`items`), and the Salesforce records one could be matched to by hand
(`search`). The manual match itself is a write: `services/unresolved.py`."""
