"""Fill an empty database with a demo manager, a demo viewer, ~30 accounts (a few with orders,
invoices and a payment, so balances are real) and an API key.

`make run` calls this on every start; it does nothing once users exist, so real data
is never touched.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from accounts.demo import demo_accounts
from accounts.history import ChangeSource, Channel, coded
from accounts.models import ApiScope
from accounts.services import create_api_key, open_account
from ledger.demo import add_demo_ledger_activity

DEMO_USERS = [
    ("manager", "creditadmin-manager", "Credit managers"),
    ("viewer", "creditadmin-viewer", "Credit viewers"),
]


class Command(BaseCommand):
    help = "Create demo logins and accounts when the database has no users yet."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=30)
        # `make run PORT=8104` passes its address, so the link printed is the one served.
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Database already has users: demo data not added.")
            self.stdout.write(
                "  (The demo API key was printed on the first start; make another with "
                "`python manage.py create_api_key NAME --scopes read,write,credit`.)"
            )
            return
        for username, password, group_name in DEMO_USERS:
            user = User.objects.create_user(username=username, password=password)
            user.groups.add(Group.objects.get(name=group_name))
        source = ChangeSource(channel=Channel.SYSTEM, label=coded("demo_data"))
        accounts = [
            open_account(values=fields, source=source).account
            for fields in demo_accounts(options["accounts"])
        ]
        add_demo_ledger_activity(
            accounts=[account for account in accounts if account.credit_limit >= 1000],
            source=source,
        )
        api_key, token = create_api_key(
            name="Demo integration",
            scopes=ApiScope.values,
            created_by=User.objects.get(username="manager"),
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data: {options['accounts']} accounts."))
        self.stdout.write("")
        self.stdout.write(f"  Open  {options['url']}")
        for username, password, group_name in DEMO_USERS:
            self.stdout.write(f"  {group_name:<16} login: {username} / password: {password}")
        self.stdout.write("")
        self.stdout.write("  API key pair (all scopes; the token is shown only now):")
        self.stdout.write(f"AppKey={api_key.app_key}")
        self.stdout.write(f"AppToken={token}")
        self.stdout.write(f"  API docs  {options['url']}/api/docs/")
        self.stdout.write("")
