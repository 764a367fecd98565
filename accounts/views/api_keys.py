"""API key pages (managers): the list, a new key (its token shown once), revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import ApiKeyForm
from accounts.models import ApiKey


@permission_required("accounts.manage_api_keys", raise_exception=True)
def api_key_list(request):
    api_keys = ApiKey.objects.select_related("created_by")
    return render(request, "accounts/apikey_list.html", {"api_keys": api_keys})


@permission_required("accounts.manage_api_keys", raise_exception=True)
def api_key_create(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, token = services.create_api_key(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The token is in this answer and nowhere else on the server: kept in the session
            # for a page to show after a redirect, it stayed in django_session whenever that
            # page was not loaded. A reload offers to send the form again (a second key),
            # never this token.
            response = render(
                request,
                "accounts/apikey_created.html",
                {
                    "api_key": api_key,
                    "token": token,
                    "api_url": request.build_absolute_uri("/api/creditcontrol/accounts"),
                },
            )
            add_never_cache_headers(response)
            return response
    return render(request, "accounts/apikey_form.html", {"form": form})


@require_POST
@permission_required("accounts.manage_api_keys", raise_exception=True)
def api_key_revoke(request, pk):
    api_key = services.revoke_api_key(api_key_id=get_object_or_404(ApiKey, pk=pk).pk)
    messages.success(
        request, _("API key “%(name)s” revoked: it no longer works.") % {"name": api_key.name}
    )
    return redirect("accounts:api-keys")
