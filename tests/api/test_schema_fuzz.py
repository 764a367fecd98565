"""Schema-driven fuzzing: schemathesis reads the API's own OpenAPI schema and sends generated
requests — valid and invalid bodies, odd ids and query values — to every operation through
the WSGI app, offline. No request may get a 5xx; every error keeps the `{code, message}` shape.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from accounts.services import create_api_key
from tests.api.conftest import ALL_SCOPES, key_headers
from tests.factories import AccountFactory


def generated_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def fuzz_headers(db, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Requests go through the WSGI handler, not Django's test client: keep the handler from
    # closing the connection that holds the test's transaction, as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    AccountFactory(pk="52998224725_CPF")  # the id the schema's examples use
    api_key, token = create_api_key(name="Fuzz", scopes=ALL_SCOPES)
    yield key_headers(api_key, token)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error(case, fuzz_headers):
    response = case.call(headers=fuzz_headers)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}\n"
        f"{case.as_curl_command()}\n{response.text[:2000]}"
    )
    if response.status_code >= 400:
        error = response.json()
        assert error["code"] and error["message"], response.text
