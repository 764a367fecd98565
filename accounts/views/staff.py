"""What every staff page shares: the permission it names, the account it is about, and how
a change made on it is labelled in the account's history."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.utils.functional import cached_property

from accounts import selectors
from accounts.history import ChangeSource, Channel
from accounts.models import Account, StoreSettings


def form_source(request) -> ChangeSource:
    return ChangeSource(
        channel=Channel.FORM, label=request.user.get_username(), user_id=request.user.pk
    )


def get_account_or_404(pk: str) -> Account:
    try:
        return selectors.get_account(pk)
    except Account.DoesNotExist:
        raise Http404 from None


class StaffPermissionMixin(PermissionRequiredMixin):
    raise_exception = True  # logged-in staff without the permission get the 403 page

    @cached_property
    def store_settings(self) -> StoreSettings:
        return StoreSettings.load()
