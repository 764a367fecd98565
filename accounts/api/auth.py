"""Who is calling the API and what they may do.

Integrations send VTEX's AppKey/AppToken headers; staff already logged in to the site may
use their session (with CSRF). Either way a request carries scopes — `read`, `write`,
`credit` — and each endpoint names the scope it needs.
"""

import hmac
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from accounts import rules, selectors
from accounts.history import ChangeSource, Channel, coded
from accounts.models import ApiKey, ApiScope
from accounts.services import api_token_digest, find_api_key

APP_KEY_HEADER = "X-VTEX-API-AppKey"
APP_TOKEN_HEADER = "X-VTEX-API-AppToken"  # noqa: S105 (a header name)
# Writing last_used_at on every call would turn each read into a write; a minute is
# precise enough for "is this key still in use?".
LAST_USED_PRECISION = timedelta(minutes=1)

# What a logged-in user needs, per scope; the staff groups grant these (viewers: read).
SCOPE_PERMISSIONS = {
    ApiScope.READ: ["accounts.view_account"],
    ApiScope.WRITE: ["accounts.add_account", "accounts.change_account", "accounts.close_account"],
    ApiScope.CREDIT: ["accounts.change_account"],
}


class ApiKeyAuthentication(BaseAuthentication):
    """The X-VTEX-API-AppKey + X-VTEX-API-AppToken header pair."""

    def authenticate(self, request):
        app_key = request.headers.get(APP_KEY_HEADER, "").strip()
        app_token = request.headers.get(APP_TOKEN_HEADER, "").strip()
        if not app_key and not app_token:
            return None  # let the session try
        if not app_key or not app_token:
            raise exceptions.AuthenticationFailed(
                f"Send both {APP_KEY_HEADER} and {APP_TOKEN_HEADER}."
            )
        api_key = find_api_key(app_key[:64])
        digest = api_token_digest(app_token)
        if api_key is None or not hmac.compare_digest(digest, api_key.token_digest):
            raise exceptions.AuthenticationFailed("Invalid AppKey or AppToken.")
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now  # the remembered key too: one write a minute
        # No staff member is behind a key: request.user stays anonymous (so the history
        # names no user) and request.auth carries the key.
        return (AnonymousUser(), api_key)

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when credentials are missing or wrong.
        return f'{APP_KEY_HEADER} realm="api"'


def granted_scopes(request) -> set[str]:
    if isinstance(request.auth, ApiKey):
        return set(request.auth.scopes)
    user = request.user
    return {
        scope for scope, permissions in SCOPE_PERMISSIONS.items() if user.has_perms(permissions)
    }


def check_scope(request, scope: str) -> None:
    """Raise 403 naming the permission when the caller lacks `scope`."""
    if scope not in granted_scopes(request):
        label = ApiScope(scope).label
        raise exceptions.PermissionDenied(f'Missing permission: {label} (scope "{scope}").')


# The account fields that say how much a customer may buy on credit.
CREDIT_FIELDS = frozenset({"credit_limit", "tolerance"})


def check_credit_scope(request, values: dict[str, object], *, opening: bool) -> None:
    """Raise 403 unless the caller may grant credit, when the request would.

    A limit or a tolerance, sent to open an account or to change one, needs `credit`, as
    the single-value endpoints do; so does opening an account for a customer whose account
    is closed, which would give back the credit the store withdrew. Without this a `write`
    key could close an account and open it again with any limit.
    """
    if ApiScope.CREDIT in granted_scopes(request):
        return
    if CREDIT_FIELDS & values.keys():
        check_scope(request, ApiScope.CREDIT)
    if opening:
        closed = _closed_account_of(values)
        if closed is not None:
            label = ApiScope.CREDIT.label
            raise exceptions.PermissionDenied(
                f'Missing permission: {label} (scope "credit"): account {closed} of this '
                "customer is closed, and opening a new one gives credit back."
            )


def _closed_account_of(values: dict[str, object]) -> str | None:
    """A closed account held by the e-mail or document of a new account, read as the planner
    reads them (a value the rules refuse matches nothing: the planner refuses it anyway)."""
    try:
        email = rules.clean_email(values.get("email"))
    except ValidationError:
        email = ""
    try:
        document_type = rules.clean_document_type(values.get("document_type") or "CPF")
        document = rules.clean_document(document_type, values.get("document"), required=False)
    except ValidationError:
        document_type, document = "", ""
    return selectors.closed_account_of(
        email=email, document_type=document_type, document=document
    )


def change_source(request) -> ChangeSource:
    """How a change made through the API is labelled in the account's history."""
    if isinstance(request.auth, ApiKey):
        return ChangeSource(channel=Channel.API, label=coded("api_key", name=request.auth.name))
    return ChangeSource(
        channel=Channel.API, label=request.user.get_username(), user_id=request.user.pk
    )


class HasScope(BasePermission):
    """Each view maps its HTTP methods to the scope they need (`required_scopes`)."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiKey) and not request.user.is_authenticated:
            return False  # DRF turns this into 401 for a caller without credentials
        # HEAD and OPTIONS only read.
        check_scope(request, view.required_scopes.get(request.method, ApiScope.READ))
        return True


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.auth.ApiKeyAuthentication"
    name = ["AppKey", "AppToken"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "header", "name": APP_KEY_HEADER},
            {"type": "apiKey", "in": "header", "name": APP_TOKEN_HEADER},
        ]
