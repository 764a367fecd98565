"""Daily clean-up of the ledger (run it from cron): lapsed pre-authorizations fall off.

Holds also fall off at their account's next ledger call; this makes the account pages and
the overview show it without waiting for one.
"""

from django.core.management.base import BaseCommand

from ledger.services import release_expired_pre_authorizations


class Command(BaseCommand):
    help = "Release expired pre-authorizations."

    def handle(self, *args, **options) -> None:
        released = release_expired_pre_authorizations()
        self.stdout.write(
            self.style.SUCCESS(f"{released} expired pre-authorization(s) released.")
        )
