from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.views import unknown_endpoint

from .health import health
from .logout import LogoutView

urlpatterns = [
    path("health/", health, name="health"),
    path("", include("accounts.urls")),
    path("imports/", include("imports.urls")),
    path("credit/", include("ledger.urls")),
    path("logout/", LogoutView.as_view(), name="logout"),  # before auth.urls' own logout
    path("", include("django.contrib.auth.urls")),
    # Open to anonymous visitors too, so the login page can switch language.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/creditcontrol/", include("ledger.api.urls")),
    path("api/creditcontrol/", include("accounts.api.urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves Swagger UI's start-up script as a file (?script): the
        # Content-Security-Policy blocks inline scripts.
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    # Last: any other path under /api/, whatever the method, is a JSON 404.
    re_path(r"^api(?:/(?P<path>.*))?$", unknown_endpoint),
]
