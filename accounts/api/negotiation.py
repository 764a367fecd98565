"""Content negotiation that speaks JSON to every JSON client.

VTEX's clients send `Accept: application/vnd.vtex.ds.v10+json` (and other vendor `+json`
types); DRF would answer 406 since no renderer names that type. Any JSON type is answered
with plain `application/json`, as VTEX does; an Accept that allows no JSON still gets 406.
"""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JsonContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            accepted = request.headers.get("Accept", "")
            media_types = [part.split(";")[0].strip().lower() for part in accepted.split(",")]
            if any(media_type.endswith(("/json", "+json")) for media_type in media_types):
                return renderers[0], renderers[0].media_type
            raise
