"""The Accounts list, the New form, an account's page, and its Edit and Close forms."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from accounts import selectors, services
from accounts.amounts import NumberStyle
from accounts.changes import Action
from accounts.display import money
from accounts.forms import AccountChangeForm, AccountCloseForm, AccountCreateForm
from accounts.models import Account, AccountStatus, DocumentType
from accounts.pagination import AccountPaginator
from accounts.problems import DUPLICATE_CODES, ChangeRefused, Problem

from .staff import StaffPermissionMixin, form_source, get_account_or_404

LIST_FILTERS = ("q", "status", "document_type")
HISTORY_SHOWN = 100  # newest changes on the account page; older ones stay in the database


def duplicate_account_ids(problems: list[Problem]) -> list[str]:
    """Ids of the open accounts duplicate problems point at, to link them on the form."""
    return sorted({problem.params["id"] for problem in problems if problem.code in DUPLICATE_CODES})


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
        return context


class AccountCreateView(StaffPermissionMixin, FormView):
    permission_required = "accounts.add_account"
    form_class = AccountCreateForm
    template_name = "accounts/account_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "store_settings": self.store_settings}

    def form_valid(self, form):
        try:
            saved = services.open_account(
                values=form.proposed_values(),
                source=form_source(self.request),
                number_style=NumberStyle.of_active_language(),
            )
        except ChangeRefused as refused:
            form.add_problems(refused.problems)
            return self.render_to_response(
                self.get_context_data(
                    form=form, duplicate_ids=duplicate_account_ids(refused.problems)
                )
            )
        account = saved.account
        messages.success(
            self.request,
            _("Account for %(email)s opened with a credit limit of %(limit)s.")
            % {
                "email": account.email,
                "limit": money(account.credit_limit, self.store_settings.currency_code),
            },
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


class AccountActionMixin(StaffPermissionMixin):
    """Edit and Close: their forms carry the account's version when the page was opened.

    A closed account sends staff back to its page; a form posted anyway (an older tab) is
    refused by the planner, with its reason on the form.
    """

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.account = get_account_or_404(kwargs["pk"])
        if request.method in ("GET", "HEAD") and not self.account.is_open:
            messages.info(request, _("This account is closed: it can no longer be changed."))
            return redirect(self.account)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def get_initial(self):
        return {"version": self.account.version}

    def save(self, form) -> services.SavedChange:
        raise NotImplementedError

    def saved_message(self, account: Account) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ChangeRefused as refused:
            form.add_problems(refused.problems)
            if any(problem.code == "stale_version" for problem in refused.problems):
                # The page now shows the newer version: saving again is a deliberate choice.
                form.show_version(self.account.version)
            return self.render_to_response(
                self.get_context_data(
                    form=form, duplicate_ids=duplicate_account_ids(refused.problems)
                )
            )
        if saved.change.action == Action.UNCHANGED:
            messages.info(self.request, self.unchanged_message)
        else:
            messages.success(self.request, self.saved_message(saved.account))
        return redirect(self.account)


class AccountChangeView(AccountActionMixin, FormView):
    permission_required = "accounts.change_account"
    form_class = AccountChangeForm
    template_name = "accounts/account_change.html"
    unchanged_message = gettext_lazy("No changes: the account already had these values.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "store_settings": self.store_settings}

    def get_initial(self):
        return {
            **super().get_initial(),
            "email": self.account.email,
            "credit_limit": self.account.credit_limit,
            "tolerance": self.account.tolerance.normalize(),  # 0.05, not 0.0500
        }

    def save(self, form) -> services.SavedChange:
        return services.change_account(
            account_id=self.account.pk,
            values=form.proposed_values(),
            source=form_source(self.request),
            based_on_version=form.cleaned_data["version"],
            number_style=NumberStyle.of_active_language(),
        )

    def saved_message(self, account: Account) -> str:
        return _("Changes to %(email)s saved.") % {"email": account.email}


class AccountCloseView(AccountActionMixin, FormView):
    permission_required = "accounts.close_account"
    form_class = AccountCloseForm
    template_name = "accounts/account_confirm_close.html"
    unchanged_message = gettext_lazy("This account is closed: it can no longer be changed.")

    def save(self, form) -> services.SavedChange:
        return services.close_account(
            account_id=self.account.pk,
            source=form_source(self.request),
            based_on_version=form.cleaned_data["version"],
        )

    def saved_message(self, account: Account) -> str:
        return _("Account of %(email)s closed.") % {"email": account.email}
