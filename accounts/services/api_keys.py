"""API keys: created with a token shown once (only its keyed digest is stored), found for
each API call, revoked."""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiKey, ApiScope


def api_token_digest(token: str) -> str:
    """The keyed SHA-256 digest stored for an API token (the token itself never is)."""
    return hmac.new(
        settings.API_TOKEN_HMAC_KEY.encode(), token.encode(), hashlib.sha256
    ).hexdigest()


# The key lookup was 43% of a GET /accounts/{id} (issue 10): every call costs a query for a
# row that hardly ever changes. Each process remembers the keys it found for
# API_KEY_CACHE_SECONDS; revoking forgets the key here at once, and other processes within
# that time. Only keys that exist are remembered, so unknown AppKeys cannot fill it.
_found_keys: dict[str, tuple[float, ApiKey]] = {}
MAX_REMEMBERED_KEYS = 1000


def find_api_key(app_key: str) -> ApiKey | None:
    """The key with this AppKey (revoked or not), or None."""
    now = time.monotonic()
    remembered = _found_keys.get(app_key)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    api_key = ApiKey.objects.filter(app_key=app_key).order_by().first()
    if api_key is not None and settings.API_KEY_CACHE_SECONDS > 0:
        if len(_found_keys) >= MAX_REMEMBERED_KEYS:
            _found_keys.clear()
        _found_keys[app_key] = (now + settings.API_KEY_CACHE_SECONDS, api_key)
    return api_key


def create_api_key(
    *, name: str, scopes: list[str], created_by: AbstractBaseUser | None = None
) -> tuple[ApiKey, str]:
    """Create an API key pair; returns the key and its token, which is not stored."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("Give the key a name."), code="api_key_name_required")}
        )
    MaxLengthValidator(ApiKey._meta.get_field("name").max_length)(name)
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown or not scopes:
        raise ValidationError(
            {
                "scopes": ValidationError(
                    _("Choose one or more scopes among: %(choices)s."),
                    code="api_key_scopes_invalid",
                    params={"choices": ", ".join(ApiScope.values)},
                )
            }
        )
    token = secrets.token_urlsafe(40)
    api_key = ApiKey.objects.create(
        name=name,
        app_key=f"creditadmin-{secrets.token_hex(10)}",
        token_digest=api_token_digest(token),
        scopes=[scope for scope in ApiScope.values if scope in scopes],
        created_by=created_by,
    )
    return api_key, token


def revoke_api_key(*, api_key_id: int) -> ApiKey:
    """Revoke a key for good; revoking twice keeps the first revocation time."""
    api_key = ApiKey.objects.get(pk=api_key_id)
    _found_keys.pop(api_key.app_key, None)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key
