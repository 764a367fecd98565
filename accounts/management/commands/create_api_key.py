"""Create an API key pair from the shell, for operators and deployment scripts.

The token is printed once and never stored, exactly as when a manager creates a key
on the API keys page.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiScope
from accounts.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key pair and print it as AppKey=… and AppToken=… lines."

    def add_arguments(self, parser):
        parser.add_argument("name", help="What the key is for, e.g. 'ERP integration'.")
        parser.add_argument(
            "--scopes",
            default=ApiScope.READ,
            help=f"Comma-separated, among {','.join(ApiScope.values)} (default: read).",
        )

    def handle(self, *args, **options):
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        try:
            api_key, token = create_api_key(name=options["name"], scopes=scopes)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["verbosity"] > 0:
            self.stderr.write(
                self.style.SUCCESS(
                    f"API key “{api_key.name}” created with scopes {','.join(api_key.scopes)}. "
                    "The token is shown only now."
                )
            )
        self.stdout.write(f"AppKey={api_key.app_key}")
        self.stdout.write(f"AppToken={token}")
