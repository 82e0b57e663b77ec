"""Webhooks Salesforce calls: survey triggers (Flow HTTP callouts and Outbound Messages)."""
