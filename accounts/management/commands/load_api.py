"""Load-test the API of a running server on this machine (bench/load_api.py does the work).

    python manage.py load_api --url http://127.0.0.1:8000 --rate 100

It needs the server's database and SECRET_KEY (`make load` sees to both): it makes an API key
with every scope for the run and revokes it afterwards. The run works on its own accounts
(load-0001, …), so use a database that may hold them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import ApiScope
from accounts.services import create_api_key, revoke_api_key
from bench import load_api


class Command(BaseCommand):
    help = "Drive the API of a server on this machine with concurrent clients for a fixed time."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument(
            "--rate", type=float, default=100, help="requests per second in all; 0: flat out"
        )
        parser.add_argument("--accounts", type=int, default=200)

    def handle(self, *args, **options):
        if not 1 <= options["clients"] <= 500 or not 0 < options["seconds"] <= 600:
            raise CommandError("Use 1 to 500 clients for at most 600 seconds.")
        self.stdout.write(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        api_key, token = create_api_key(name="Load test", scopes=ApiScope.values)
        try:
            summary = load_api.run(
                options["url"], app_key=api_key.app_key, app_token=token,
                clients=options["clients"], seconds=options["seconds"], rate=options["rate"],
                accounts=options["accounts"], write=self.stdout.write,
            )  # fmt: skip
        except (ValueError, RuntimeError) as refusal:
            raise CommandError(str(refusal)) from None
        finally:
            revoke_api_key(api_key_id=api_key.pk)
        if summary["errors"]:
            raise CommandError(f"{summary['errors']} requests failed.")
