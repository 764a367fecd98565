"""The API's only body format: JSON, read with a size limit."""

from decimal import Decimal

from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.utils import json  # rejects NaN and Infinity

# An account body is a few hundred bytes; anything near this is a mistake or an attack.
MAX_BODY_BYTES = 64 * 1024


class RequestBodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The request body is larger than {MAX_BODY_BYTES} bytes."
    default_code = "body_too_large"


class LimitedJSONParser(JSONParser):
    """DRF's JSONParser reads the whole stream, whatever its size: this one stops early."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(body) > MAX_BODY_BYTES:
            raise RequestBodyTooLarge()
        try:
            # Numbers as Decimal: 0.1 stays 0.1, and 1e400 is a (too large) number, not inf.
            return json.loads(body.decode("utf-8"), parse_float=Decimal)
        except UnicodeDecodeError:
            raise exceptions.ParseError("The body is not UTF-8 text.") from None
        except ValueError as error:
            raise exceptions.ParseError(f"The body is not valid JSON: {error}") from None
        except RecursionError:
            raise exceptions.ParseError("The body's JSON is nested too deeply.") from None
