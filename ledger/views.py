"""The credit overview: what the store has lent, what is owed and when, who is near the limit."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.models import StoreSettings

from . import charts, selectors

DUE_SOON_DAYS = 30
CHART_DAYS = 90
LISTED = 10


class CreditOverviewView(PermissionRequiredMixin, TemplateView):
    permission_required = "ledger.view_credit_overview"
    raise_exception = True
    template_name = "ledger/overview.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        currency_code = StoreSettings.load().currency_code
        due_soon = selectors.invoices_due_within(days=DUE_SOON_DAYS, now=now)
        overdue = selectors.overdue_invoices(now=now)
        series = selectors.credit_in_use_by_day(days=CHART_DAYS)
        return super().get_context_data(
            now=now,
            currency_code=currency_code,
            totals=selectors.credit_totals(),
            due_soon=list(due_soon[:LISTED]),
            due_soon_totals=selectors.invoice_totals(due_soon),
            overdue=list(overdue[:LISTED]),
            overdue_totals=selectors.invoice_totals(overdue),
            closest_to_limit=selectors.accounts_closest_to_limit(limit=LISTED),
            chart=charts.line_chart(series, currency_code=currency_code),
            series=series,
            weekly=series[::-7][::-1],
            due_soon_days=DUE_SOON_DAYS,
            chart_days=CHART_DAYS,
            **kwargs,
        )
