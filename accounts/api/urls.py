"""VTEX's Customer Credit paths, without a trailing slash as VTEX writes them (one is tolerated)."""

from django.urls import re_path

from . import views

ACCOUNT_ID = r"(?P<account_id>[^/]+)"

urlpatterns = [
    re_path(r"^accounts/?$", views.AccountCollectionView.as_view(), name="accounts"),
    re_path(rf"^accounts/{ACCOUNT_ID}/?$", views.AccountView.as_view(), name="account"),
    re_path(
        rf"^accounts/{ACCOUNT_ID}/creditlimit/?$",
        views.CreditLimitView.as_view(),
        name="account-credit-limit",
    ),
    re_path(
        rf"^accounts/{ACCOUNT_ID}/tolerance/?$",
        views.ToleranceView.as_view(),
        name="account-tolerance",
    ),
    re_path(
        rf"^accounts/{ACCOUNT_ID}/holders/?$",
        views.HolderCollectionView.as_view(),
        name="account-holders",
    ),
    re_path(
        rf"^accounts/{ACCOUNT_ID}/holders/(?P<holder_id>[^/]+)/?$",
        views.HolderView.as_view(),
        name="account-holder",
    ),
    re_path(r"^(?P<path>.*)$", views.unknown_endpoint),
]


def document_paths_without_trailing_slash(endpoints):
    """drf-spectacular hook: show `…/accounts`, not the `…/accounts/` it reads in `/?$`."""
    return [
        (path.removesuffix("/") if path.startswith("/api/creditcontrol/") else path, *rest)
        for path, *rest in endpoints
    ]
