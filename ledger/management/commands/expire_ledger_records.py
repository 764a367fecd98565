"""Daily clean-up of the ledger (run it from cron): lapsed pre-authorizations fall off and
Idempotency-Keys older than a day are forgotten.

Holds also fall off at their account's next ledger call; this makes the account pages and
the overview show it without waiting for one.
"""

from django.core.management.base import BaseCommand

from ledger.api.idempotency import forget_old_keys
from ledger.services import release_expired_pre_authorizations


class Command(BaseCommand):
    help = "Release expired pre-authorizations and forget idempotency keys older than a day."

    def handle(self, *args, **options) -> None:
        released = release_expired_pre_authorizations()
        forgotten = forget_old_keys()
        self.stdout.write(
            self.style.SUCCESS(
                f"{released} expired pre-authorization(s) released, "
                f"{forgotten} old idempotency key(s) forgotten."
            )
        )
