"""Remove a staff member's authenticator and recovery codes, when they lost both (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import mfa_remove
from core.errors import RedressError
from core.security import security_event


class Command(BaseCommand):
    help = (
        "Remove the authenticator and recovery codes of one user, with the reason, into the security log. "
        "Their next sign-in asks them to set up a new authenticator where staff must have one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument("--reason", required=True, help="Why, e.g. 'phone lost, identity checked by call'.")
        parser.add_argument("--operator", default="", help="Who runs the reset (name or e-mail), for the log.")

    def handle(self, *args: Any, email: str, reason: str, operator: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        try:
            removed = mfa_remove(user=user, reason=reason)
        except RedressError as exc:
            raise CommandError(exc.message) from exc
        security_event("mfa_reset", user=user, reason=reason.strip(), operator=operator.strip(), devices=removed)
        if removed:
            self.stdout.write(f"Removed the authenticator and recovery codes of {user.email} ({removed} device(s)).")
        else:
            self.stdout.write(f"{user.email} had no authenticator or recovery codes; nothing removed.")
