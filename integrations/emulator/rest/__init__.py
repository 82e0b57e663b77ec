"""The REST API resources under /services/data/vNN.N/: sObjects, query, sObject Collections,
Composite and replication, and how records are rendered."""
