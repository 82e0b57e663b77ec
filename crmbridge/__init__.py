"""CRM Bridge: a self-hosted two-way bridge between a sales-engagement product and Salesforce."""

__version__ = "0.1.0"
