"""The parameters and error responses the account endpoints share on /api/docs/."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import examples
from .serializers import ErrorSerializer

ACCOUNT_ID_PARAMETER = OpenApiParameter(
    "account_id", str, OpenApiParameter.PATH, description="The account's id (`creditAccountId`)."
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="Optional: the account's `ETag` when you read it (e.g. `\"3\"`). If the "
    "account changed since, nothing is written and the answer is 412. Without it the last "
    "write wins, as in VTEX.",
)


def error_response(description: str, *error_examples) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description, list(error_examples))


ERRORS = {
    400: error_response("Invalid input", examples.INVALID_INPUT),
    401: error_response("No or wrong credentials", examples.UNAUTHORIZED),
    403: error_response("Missing permission", examples.FORBIDDEN),
}
NOT_FOUND = {404: error_response("No such account", examples.NOT_FOUND)}
CLOSED = {409: error_response("Closed account", examples.ACCOUNT_CLOSED)}
STALE = {412: error_response("Changed since If-Match", examples.STALE)}
ALREADY_OPEN = {409: error_response("Already open", examples.ALREADY_OPEN)}
CLOSED_OR_ALREADY_OPEN = {
    409: error_response(
        "Closed account, or another open account has this e-mail/document",
        examples.ACCOUNT_CLOSED,
        examples.ALREADY_OPEN,
    )
}
CLOSED_OR_HOLDER_THERE = {
    409: error_response(
        "Closed account or holder already there", examples.ACCOUNT_CLOSED, examples.HOLDER_EXISTS
    )
}
