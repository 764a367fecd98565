"""The store's credit settings page (managers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts import services
from accounts.amounts import NumberStyle
from accounts.forms import StoreSettingsForm

from .staff import StaffPermissionMixin


class StoreSettingsView(StaffPermissionMixin, FormView):
    permission_required = "accounts.change_storesettings"
    form_class = StoreSettingsForm
    template_name = "accounts/store_settings.html"

    def get_form_kwargs(self):
        currency_code = self.store_settings.currency_code
        return {**super().get_form_kwargs(), "currency_code": currency_code}

    def get_initial(self):
        return StoreSettingsForm.initial_for(self.store_settings)

    def form_valid(self, form):
        try:
            services.update_store_settings(
                **form.cleaned_data, number_style=NumberStyle.of_active_language()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Store settings saved."))
        return redirect("accounts:settings")
