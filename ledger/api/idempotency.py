"""`Idempotency-Key` for creating POSTs: a retry with the same key returns the first result.

A payment connector that timed out cannot know whether its pre-authorization or refund
was made; sending the call again with the same key is safe. The key is remembered per
caller (API key or user) for a day, with a digest of the request: the same key with another
request is refused (422) rather than answered with an unrelated result.
"""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from accounts.models import ApiKey

from ..models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(days=1)
MAX_KEY_LENGTH = 255


class IdempotencyKeyProblem(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def _caller(request) -> str:
    if isinstance(request.auth, ApiKey):
        return f"key:{request.auth.pk}"
    return f"user:{request.user.pk}"


def _digest(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view_method):
    """Make a POST handler honour the `Idempotency-Key` header.

    The key is recorded in the same transaction as the work: if the work fails, nothing is
    remembered and a retry does it again. A second request with the key while the first is
    still running waits on the key's unique index (PostgreSQL) and then replays the result.
    """

    @wraps(view_method)
    def handle(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view_method(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError(
                {HEADER: f"An {HEADER} has 1 to {MAX_KEY_LENGTH} printable characters."},
                code="idempotency_key_invalid",
            )
        caller, digest = _caller(request), _digest(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        caller=caller,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        body_digest=digest,
                    )
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(caller=caller, key=key), digest)
            response = view_method(view, request, *args, **kwargs)
            record.status_code = response.status_code
            record.response_body = response.data
            record.save(update_fields=["status_code", "response_body"])
        return response

    return handle


def _replay(record: IdempotentRequest, digest: str) -> Response:
    if record.body_digest != digest:
        raise IdempotencyKeyProblem(
            f"This {HEADER} was used for another request ({record.method} {record.path} "
            f"at {record.created_at:%Y-%m-%d %H:%M:%S} UTC). Use a new key for a new request."
        )
    return Response(
        record.response_body, status=record.status_code, headers={REPLAYED_HEADER: "true"}
    )


def forget_old_keys() -> int:
    """Delete keys older than a day (run with the daily clean-up); returns how many."""
    deleted, _by_model = IdempotentRequest.objects.filter(
        created_at__lt=timezone.now() - KEY_LIFETIME
    ).delete()
    return deleted
