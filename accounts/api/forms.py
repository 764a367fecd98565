"""Forms of the staff pages that came with the API: new API key, add holder."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiScope


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “ERP integration”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiScope.READ],
        help_text=_("Give an integration only what it needs."),
    )


class HolderForm(forms.Form):
    # The e-mail rule itself is applied by services.add_holder.
    email = forms.CharField(label=_("Holder's e-mail"), max_length=254)
