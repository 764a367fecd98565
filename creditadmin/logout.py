"""Logging out says so on the login page it leads to (Django's LogoutView is silent)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # The session is gone; the message travels in the messages cookie.
        messages.info(request, _("You are logged out."))
        return response
