"""Business operations (writes) of the integration, called by admin, views, commands and tasks."""
