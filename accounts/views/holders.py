"""Adding and removing an account's holders (the form on the account page)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import HolderForm
from accounts.models import Holder
from accounts.problems import ChangeRefused

from .staff import form_source, get_account_or_404


@require_POST
@permission_required("accounts.change_account", raise_exception=True)
def holder_add(request, pk):
    account = get_account_or_404(pk)
    form = HolderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the holder's e-mail."))
        return redirect(account)
    try:
        holder = services.add_holder(
            account_id=account.pk, email=form.cleaned_data["email"], source=form_source(request)
        )
    except ChangeRefused as refused:
        messages.error(request, " ".join(problem.message for problem in refused.problems))
    else:
        messages.success(request, _("%(email)s added as a holder.") % {"email": holder.email})
    return redirect(account)


@require_POST
@permission_required("accounts.change_account", raise_exception=True)
def holder_remove(request, pk, holder_id):
    account = get_account_or_404(pk)
    try:
        holder = services.remove_holder(
            account_id=account.pk, holder_id=holder_id, source=form_source(request)
        )
    except Holder.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("%(email)s is no longer a holder.") % {"email": holder.email})
    return redirect(account)
