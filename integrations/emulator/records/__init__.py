"""The emulated org's data: schema and objects, ids and values, validation, the store with its
recycle bin and lead conversion, the built-in org records and sample data."""
