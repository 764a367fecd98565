import json

import pytest

from accounts.models import ApiScope
from accounts.services import create_api_key

API = "/api/creditcontrol"
ALL_SCOPES = list(ApiScope.values)


class ApiCaller:
    """Calls the API as an integration would: JSON bodies, the VTEX key headers."""

    def __init__(self, client, headers: dict[str, str]):
        self.client = client
        self.headers = headers

    def __call__(self, method: str, path: str, body=None, *, raw: str | None = None, **extra):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.generic(
            method,
            f"{API}{path}",
            data=data,
            content_type=extra.pop("content_type", "application/json"),
            headers={**self.headers, **extra.pop("headers", {})},
            **extra,
        )


def key_headers(api_key, token: str) -> dict[str, str]:
    return {"X-VTEX-API-AppKey": api_key.app_key, "X-VTEX-API-AppToken": token}


@pytest.fixture
def make_api(client, db):
    """make_api(scopes) → an ApiCaller authenticated with a new key of those scopes."""

    def make(scopes=ALL_SCOPES, name: str = "ERP"):
        api_key, token = create_api_key(name=name, scopes=list(scopes))
        caller = ApiCaller(client, key_headers(api_key, token))
        caller.api_key = api_key
        return caller

    return make


@pytest.fixture
def api(make_api):
    """An integration with every scope."""
    return make_api()
