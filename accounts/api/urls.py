"""VTEX's Customer Credit paths, without a trailing slash as VTEX writes them (one is tolerated).

Every other path under /api/ answers a JSON 404 (creditadmin/urls.py, last pattern)."""

from django.urls import re_path

from . import views

ACCOUNT = r"^accounts/(?P<account_id>[^/]+)"
# Each path, as a regular expression without its (optional) trailing slash: view, name.
ROUTES = {
    r"^accounts": (views.AccountCollectionView, "accounts"),
    ACCOUNT: (views.AccountView, "account"),
    rf"{ACCOUNT}/creditlimit": (views.CreditLimitView, "account-credit-limit"),
    rf"{ACCOUNT}/tolerance": (views.ToleranceView, "account-tolerance"),
    rf"{ACCOUNT}/holders": (views.HolderCollectionView, "account-holders"),
    rf"{ACCOUNT}/holders/(?P<holder_id>[^/]+)": (views.HolderView, "account-holder"),
}

urlpatterns = [
    re_path(rf"{path}/?$", view.as_view(), name=name) for path, (view, name) in ROUTES.items()
]


def document_paths_without_trailing_slash(endpoints):
    """drf-spectacular hook: show `…/accounts`, not the `…/accounts/` it reads in `/?$`."""
    return [
        (path.removesuffix("/") if path.startswith("/api/creditcontrol/") else path, *rest)
        for path, *rest in endpoints
    ]
