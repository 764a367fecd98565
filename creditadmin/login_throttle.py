"""What staff see when django-axes refuses a login: the login page again, status 429, saying
why and how long to wait. The counting itself is django-axes' (settings: AXES_*)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed logins for this username or from this address. Wait %(minutes)d "
        "minute, then try again.",
        "Too many failed logins for this username or from this address. Wait %(minutes)d "
        "minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


class LockedOutLoginForm(AuthenticationForm):
    """The empty login form, showing the lockout where wrong passwords are shown."""

    def non_field_errors(self):
        return self.error_class([lockout_message()])


def lockout_response(request, original_response=None, credentials=None):
    username = (credentials or {}).get("username", "")
    form = LockedOutLoginForm(request, initial={"username": username})
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
