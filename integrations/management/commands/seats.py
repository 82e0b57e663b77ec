"""Seats from a script: the org's Users to assign from, assigning, revoking, CRM sync, listing.

    python manage.py seats import-users
    python manage.py seats assign EMAIL [--role member|admin|admin_member]
    python manage.py seats revoke EMAIL
    python manage.py seats sync on|off EMAIL
    python manage.py seats list [--json]

Errors (no seat for that email, no licence left, not connected, Salesforce refusing) exit
non-zero with the reason, and Salesforce's hint when it has one.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from integrations.exceptions import SalesforceError
from integrations.models import Seat, SeatRole, SyncSettings
from integrations.services.seats import (
    SeatError,
    salesforce_users_all,
    seat_assign,
    seat_crm_sync_set,
    seat_revoke,
    seat_usage,
)

AUTO_SYNC_NOTE = "Auto-sync is on: every seat syncs, whatever its own CRM sync says."


class Command(BaseCommand):
    help = "Assign and manage seats (licences) linked to the org's Salesforce users."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="COMMAND")
        commands.add_parser("import-users", help="Print the org's active users and their match.")
        assign = commands.add_parser("assign", help="Give the user with EMAIL a seat.")
        assign.add_argument("email", metavar="EMAIL")
        assign.add_argument("--role", choices=SeatRole.values, default=SeatRole.MEMBER,
                            help="The seat's role (default: member).")  # fmt: skip
        revoke = commands.add_parser("revoke", help="Take the seat of EMAIL away.")
        revoke.add_argument("email", metavar="EMAIL")
        sync = commands.add_parser("sync", help="Switch CRM sync of one seat on or off.")
        sync.add_argument("state", choices=["on", "off"])
        sync.add_argument("email", metavar="EMAIL")
        listing = commands.add_parser("list", help="Print every seat.")
        listing.add_argument("--json", action="store_true", help="As a JSON array.")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "import-users":
                self._import_users()
            elif action == "assign":
                self._assign(options["email"], options["role"])
            elif action == "revoke":
                seat = seat_revoke(email=options["email"])
                self.stdout.write(f"Revoked the seat of {seat.user.email}. {seat_usage()}.")
            elif action == "sync":
                self._sync(options["email"], enabled=options["state"] == "on")
            else:
                self._list(as_json=options["json"])
        except SeatError as error:
            raise CommandError(str(error)) from error
        except SalesforceError as error:
            raise CommandError(
                f"{error}\nHint: {error.hint}" if error.hint else str(error)
            ) from error

    def _import_users(self) -> None:
        for users in salesforce_users_all():
            for user in users:
                self.stdout.write(f"{user.email:<40} {user.name:<30} {user.match_state}")
        self.stdout.write(f"{seat_usage()}.")

    def _assign(self, email: str, role: str) -> None:
        seat = seat_assign(email=email, role=role)
        state = "matched to Salesforce user " + seat.salesforce_user_id if seat.matched else (
            f"not matched: {seat.match_problem}"
        )  # fmt: skip
        self.stdout.write(f"Seat of {seat.user.email} ({seat.get_role_display()}), {state}. "
                          f"{seat_usage()}.")  # fmt: skip

    def _sync(self, email: str, *, enabled: bool) -> None:
        seat = seat_crm_sync_set(email=email, enabled=enabled)
        self.stdout.write(f"CRM sync {'on' if enabled else 'off'} for {seat.user.email}.")
        if SyncSettings.load().auto_sync_seat_holders:
            self.stdout.write(AUTO_SYNC_NOTE)

    def _list(self, *, as_json: bool) -> None:
        seats = list(Seat.objects.select_related("user"))
        if as_json:
            rows = [
                {"email": seat.user.email, "role": seat.role, "crm_sync": seat.crm_sync,
                 "salesforce_user_id": seat.salesforce_user_id, "matched": seat.matched}
                for seat in seats
            ]  # fmt: skip
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for seat in seats:
            self.stdout.write(
                f"{seat.user.email:<40} {seat.role:<12} "
                f"crm_sync={'on' if seat.crm_sync else 'off':<3} "
                f"{seat.salesforce_user_id or '-':<18} "
                + ("matched" if seat.matched else f"not matched: {seat.match_problem}")
            )
        self.stdout.write(f"{seat_usage()}.")
        if SyncSettings.load().auto_sync_seat_holders:
            self.stdout.write(AUTO_SYNC_NOTE)
