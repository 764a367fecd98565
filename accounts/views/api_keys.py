"""API key pages (managers): the list, a new key (its token shown once), revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import ApiKeyForm
from accounts.models import ApiKey

# The token is shown once, on the page the creation redirects to; it waits in the session.
CREATED_KEY_SESSION_NAME = "created_api_key"


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
            request.session[CREATED_KEY_SESSION_NAME] = {"id": api_key.pk, "token": token}
            return redirect("accounts:api-key-created", pk=api_key.pk)
    return render(request, "accounts/apikey_form.html", {"form": form})


@permission_required("accounts.manage_api_keys", raise_exception=True)
def api_key_created(request, pk):
    api_key = get_object_or_404(ApiKey, pk=pk)
    new_token = request.session.get(CREATED_KEY_SESSION_NAME) or {}
    if new_token.get("id") != api_key.pk:
        messages.info(request, _("The token of a key is shown only once, when it is created."))
        return redirect("accounts:api-keys")
    del request.session[CREATED_KEY_SESSION_NAME]
    return render(
        request,
        "accounts/apikey_created.html",
        {
            "api_key": api_key,
            "token": new_token["token"],
            "api_url": request.build_absolute_uri("/api/creditcontrol/accounts"),
        },
    )


@require_POST
@permission_required("accounts.manage_api_keys", raise_exception=True)
def api_key_revoke(request, pk):
    api_key = services.revoke_api_key(api_key_id=get_object_or_404(ApiKey, pk=pk).pk)
    messages.success(
        request, _("API key “%(name)s” revoked: it no longer works.") % {"name": api_key.name}
    )
    return redirect("accounts:api-keys")
