"""Signals tracking sends for the sync to act on, without importing it.

`activity_records_changed` is sent once a write of links, visits or activities has committed,
with the model as sender and the written records' primary keys. Integrations connects to it
(in `IntegrationsConfig.ready`) to push them to Salesforce within seconds instead of waiting
for the next scheduled cycle.
"""

from django.dispatch import Signal

activity_records_changed = Signal()  # sender: the model; pks: the records written

# sender: Response; response: the response submitted (sent once its transaction committed),
# for the response mapping and Web-to-Lead to write it to Salesforce.
response_submitted = Signal()
