"""Content-Security-Policy header on every response.

Django 5.2 has none built in. The policy allows scripts, styles, fonts and requests from
this site only: no inline script or style, no eval, nothing from a CDN (static/vendor/ holds
Bootstrap and htmx). Django 6.0 ships a middleware configured by a SECURE_CSP setting of this
same shape; moving to it means deleting this module.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.SECURE_CSP.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.header)
        return response
