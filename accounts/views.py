"""Accounts pages: list, New, detail, change and close. Thin: rules live in services."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from . import selectors, services
from .forms import AccountChangeForm, AccountCreateForm
from .history import ChangeSource, Channel
from .models import Account, AccountStatus, DocumentType, StoreSettings


def form_source(request) -> ChangeSource:
    return ChangeSource(
        channel=Channel.FORM, label=request.user.get_username(), user_id=request.user.pk
    )


class AccountListView(PermissionRequiredMixin, ListView):
    permission_required = "accounts.view_account"
    raise_exception = True
    paginate_by = 25
    template_name = "accounts/account_list.html"

    def get_queryset(self):
        params = self.request.GET
        return selectors.search_accounts(
            query=params.get("q", ""),
            status=params.get("status", ""),
            document_type=params.get("document_type", ""),
            ordering=params.get("sort", ""),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            query=self.request.GET.get("q", ""),
            status=self.request.GET.get("status", ""),
            document_type=self.request.GET.get("document_type", ""),
            sort=self.request.GET.get("sort", ""),
            filter_querystring=params.urlencode(),
            status_choices=AccountStatus.choices,
            document_type_choices=DocumentType.choices,
        )
        return context


class AccountCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.add_account"
    raise_exception = True
    form_class = AccountCreateForm
    template_name = "accounts/account_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "currency_code": StoreSettings.load().currency_code}

    def form_valid(self, form):
        try:
            account = services.open_account(**form.cleaned_data, source=form_source(self.request))
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Account for %(email)s opened with a limit of %(limit)s.")
            % {"email": account.email, "limit": account.credit_limit},
        )
        return redirect(f"{reverse('accounts:list')}?q={account.email}")


class AccountDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "accounts.view_account"
    raise_exception = True
    model = Account
    template_name = "accounts/account_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.account_history(account=self.object)
        return context


class AccountChangeView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.change_account"
    raise_exception = True
    form_class = AccountChangeForm
    template_name = "accounts/account_change.html"

    def dispatch(self, request, *args, **kwargs):
        self.account = get_object_or_404(Account, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "email": self.account.email,
            "credit_limit": self.account.credit_limit,
            "tolerance": self.account.tolerance,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        if not self.account.is_open:
            messages.error(self.request, _("A closed account cannot be changed."))
            return redirect(self.account)
        try:
            services.change_account(
                account_id=self.account.pk, source=form_source(self.request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Account changes saved."))
        return redirect(self.account)


class AccountCloseView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.close_account"
    raise_exception = True
    template_name = "accounts/account_confirm_close.html"

    def dispatch(self, request, *args, **kwargs):
        self.account = get_object_or_404(Account, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def post(self, request, *args, **kwargs):
        services.close_account(account_id=self.account.pk, source=form_source(request))
        messages.success(request, _("Account closed."))
        return redirect(self.account)
