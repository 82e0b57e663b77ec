"""What the activity handlers (visits, links and rooms, write-back) share: the attributes of
each kind, matching to Contacts, Leads and Accounts, Salesforce users by email, the Task
values, and writing Tasks so that a retry never creates a second one."""
