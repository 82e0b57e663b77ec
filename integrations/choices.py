"""Choices shared by the integration models, with their terminal sets in one place."""

from django.db import models


class LoginEnvironment(models.TextChoices):
    PRODUCTION = "https://login.salesforce.com", "Production (login.salesforce.com)"
    SANDBOX = "https://test.salesforce.com", "Sandbox (test.salesforce.com)"


class AuthMethod(models.TextChoices):
    OAUTH = "oauth", "OAuth 2.0 web-server flow (Connect Salesforce button)"
    PASSWORD = "password", "Username, password and security token"
    CLIENT_CREDENTIALS = "client_credentials", "Client credentials (integration user)"


class ConnectionStatus(models.TextChoices):
    NOT_CONNECTED = "not_connected", "Not connected"
    CONNECTED = "connected", "Connected"
    ERROR = "error", "Error"
    PAUSED = "paused", "Paused (API limit)"
