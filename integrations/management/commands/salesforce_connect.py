"""Connect the Salesforce org from a script (the same service as the admin page).

    python manage.py salesforce_connect --login-url URL --username U --password P \
        [--security-token T] --client-id ID --client-secret S
    python manage.py salesforce_connect --login-url URL --client-credentials \
        --client-id ID --client-secret S

Exits 0 after verifying identity and limits; otherwise non-zero with Salesforce's error
text and a hint. Any Salesforce-compatible HTTPS endpoint works whose certificate the
process trusts (REQUESTS_CA_BUNDLE).
"""

from django.core.management.base import BaseCommand, CommandError

from integrations.choices import AuthMethod
from integrations.exceptions import SalesforceError
from integrations.services.connection import connection_connect


class Command(BaseCommand):
    help = "Connect CRM Bridge to a Salesforce org and verify the connection."

    def add_arguments(self, parser):
        parser.add_argument("--login-url", required=True, help="e.g. https://login.salesforce.com")
        parser.add_argument("--client-id", required=True, help="The connected app's consumer key.")
        parser.add_argument("--client-secret", required=True, help="Its consumer secret.")
        parser.add_argument(
            "--client-credentials",
            action="store_true",
            help="Use the client-credentials flow (runs as the app's integration user).",
        )
        parser.add_argument("--username", default="", help="Salesforce username (password flow).")
        parser.add_argument("--password", default="", help="Salesforce password (password flow).")
        parser.add_argument("--security-token", default="", help="The user's security token.")

    def handle(self, *args, **options):
        method = (
            AuthMethod.CLIENT_CREDENTIALS if options["client_credentials"] else AuthMethod.PASSWORD
        )
        if method == AuthMethod.PASSWORD and not (options["username"] and options["password"]):
            raise CommandError(
                "--username and --password are required (or use --client-credentials)."
            )
        if not options["login_url"].startswith(("https://", "http://")):
            raise CommandError("--login-url must be a URL such as https://login.salesforce.com")
        try:
            connection = connection_connect(
                login_url=options["login_url"],
                auth_method=method,
                client_id=options["client_id"],
                client_secret=options["client_secret"],
                username=options["username"],
                password=options["password"],
                security_token=options["security_token"],
            )
        except SalesforceError as error:
            raise CommandError(f"Salesforce said: {error}\nHint: {error.hint}") from error
        self.stdout.write(self.style.SUCCESS(str(connection)))
        self.stdout.write(f"Org id: {connection.org_id}")
        self.stdout.write(f"User: {connection.connected_username} ({connection.user_id})")
        self.stdout.write(f"Instance: {connection.instance_url} (API v{connection.api_version})")
        if connection.org_api_max:
            used, maximum = connection.org_api_used, connection.org_api_max
            self.stdout.write(f"API usage: {used} of {maximum} calls in 24 hours")
