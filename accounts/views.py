"""Accounts pages: list, New, detail, change, close and store settings.

Thin: they parse the request, call a selector or a service and render; every rule lives
in rules.py / services.py. Each view names the permission it needs (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from . import selectors, services
from .forms import AccountChangeForm, AccountCreateForm, StoreSettingsForm
from .history import ChangeSource, Channel
from .models import Account, AccountStatus, DocumentType, StoreSettings
from .pagination import AccountPaginator
from .templatetags.credit import money

LIST_FILTERS = ("q", "status", "document_type")
HISTORY_SHOWN = 100  # newest changes on the account page; older ones stay in the database


def form_source(request) -> ChangeSource:
    return ChangeSource(
        channel=Channel.FORM, label=request.user.get_username(), user_id=request.user.pk
    )


def get_account_or_404(pk: str) -> Account:
    if "\x00" in pk:  # PostgreSQL cannot even compare it: no account has such an id
        raise Http404
    return get_object_or_404(Account, pk=pk)


def duplicate_account_ids(error: ValidationError) -> list[str]:
    """Ids of the open accounts a duplicate error points at, to link them on the form."""
    found = getattr(error, "error_dict", {}).values()
    return sorted(
        {
            item.params["id"]
            for items in found
            for item in items
            if item.code == "duplicate_open_account" and item.params
        }
    )


class StaffPermissionMixin(PermissionRequiredMixin):
    raise_exception = True  # logged-in staff without the permission get the 403 page

    @cached_property
    def store_settings(self) -> StoreSettings:
        return StoreSettings.load()


class AccountListView(StaffPermissionMixin, ListView):
    permission_required = "accounts.view_account"
    paginate_by = 25
    paginator_class = AccountPaginator
    template_name = "accounts/account_list.html"

    def get_queryset(self):
        params = self.request.GET
        return selectors.search_accounts(
            query=params.get("q", ""),
            status=params.get("status", ""),
            document_type=params.get("document_type", ""),
            ordering=params.get("sort", ""),
        )

    @cached_property
    def is_filtered(self) -> bool:
        return any(self.request.GET.get(name, "").strip() for name in LIST_FILTERS)

    def get_paginator(self, queryset, per_page, **kwargs):
        return AccountPaginator(queryset, per_page, unfiltered=not self.is_filtered, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # get_page: a stale or hand-typed ?page= shows the nearest page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        without_page = params.copy()
        without_page.pop("page", None)
        context.update(
            query=params.get("q", "").strip(),
            status=params.get("status", ""),
            document_type=params.get("document_type", ""),
            sort=params.get("sort", ""),
            is_filtered=self.is_filtered,
            filter_querystring=without_page.urlencode(),
            status_choices=AccountStatus.choices,
            document_type_choices=DocumentType.choices,
        )
        paginator, page = context["paginator"], context["page_obj"]
        if not paginator.count_is_estimate:
            context["elided_page_range"] = paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        return context


class AccountCreateView(StaffPermissionMixin, FormView):
    permission_required = "accounts.add_account"
    form_class = AccountCreateForm
    template_name = "accounts/account_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "store_settings": self.store_settings}

    def form_valid(self, form):
        try:
            account = services.open_account(**form.cleaned_data, source=form_source(self.request))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(
                self.get_context_data(form=form, duplicate_ids=duplicate_account_ids(error))
            )
        currency = self.store_settings.currency_code
        messages.success(
            self.request,
            _("Account for %(email)s opened with a credit limit of %(limit)s.")
            % {"email": account.email, "limit": money(account.credit_limit, currency)},
        )
        return redirect("accounts:list")


class AccountDetailView(StaffPermissionMixin, DetailView):
    permission_required = "accounts.view_account"
    model = Account
    template_name = "accounts/account_detail.html"

    def get_object(self, queryset=None):
        return get_account_or_404(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.account_history(account=self.object, limit=HISTORY_SHOWN)
        context["history_is_cut"] = len(context["history"]) == HISTORY_SHOWN
        return context


class OpenAccountActionMixin(StaffPermissionMixin):
    """Edit and Close act on open accounts only: a closed one sends staff back to its page."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.account = get_account_or_404(kwargs["pk"])
        if not self.account.is_open:
            messages.info(request, _("This account is closed: it can no longer be changed."))
            return redirect(self.account)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)


class AccountChangeView(OpenAccountActionMixin, FormView):
    permission_required = "accounts.change_account"
    form_class = AccountChangeForm
    template_name = "accounts/account_change.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "store_settings": self.store_settings}

    def get_initial(self):
        return {
            "email": self.account.email,
            "credit_limit": self.account.credit_limit,
            "tolerance": self.account.tolerance.normalize(),  # 0.05, not 0.0500
        }

    def form_valid(self, form):
        try:
            services.change_open_account(
                account_id=self.account.pk, source=form_source(self.request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(
                self.get_context_data(form=form, duplicate_ids=duplicate_account_ids(error))
            )
        messages.success(
            self.request, _("Changes to %(email)s saved.") % {"email": form.cleaned_data["email"]}
        )
        return redirect(self.account)


class AccountCloseView(OpenAccountActionMixin, TemplateView):
    permission_required = "accounts.close_account"
    template_name = "accounts/account_confirm_close.html"

    def post(self, request, *args, **kwargs):
        services.close_account(account_id=self.account.pk, source=form_source(request))
        messages.success(request, _("Account of %(email)s closed.") % {"email": self.account.email})
        return redirect(self.account)


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
            services.update_store_settings(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Store settings saved."))
        return redirect("accounts:settings")
