"""Four eyes: when an import (or the revert of one) needs a second manager's approval.

The store sets two thresholds (StoreSettings.approval_net_credit, approval_credit_limit; a
blank one is off). A job whose preview goes over either waits, Awaiting approval, for a
manager other than its uploader (imports.services.approve_import_job / reject_import_job).
``approval_reasons`` is a plain function of the preview's MoneySummary so that every kind of
job — an upload, the command line, a revert — is held by the same rule.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.display import money
from accounts.models import StoreSettings

from .pipeline.money import MoneySummary

NET_CREDIT = "net_credit"
CREDIT_LIMIT = "credit_limit"


def approval_reasons(summary: MoneySummary, store_settings: StoreSettings) -> list[dict]:
    """Why a job with this money summary needs a second manager (empty: it does not).

    Each reason is JSON (stored on ImportJob.approval_reasons): its code, the amount that goes
    over, the threshold, and for a single account its id and file row. "Above" is strictly
    above: a threshold of R$ 10,000.00 lets a limit of R$ 10,000.00 through.
    """
    reasons = []
    net_threshold = store_settings.approval_net_credit
    if net_threshold is not None and summary.net_change > net_threshold:
        reasons.append(
            {
                "code": NET_CREDIT,
                "amount": str(summary.net_change),
                "threshold": str(net_threshold),
            }
        )
    limit_threshold = store_settings.approval_credit_limit
    highest = summary.highest_new_limit
    if limit_threshold is not None and highest is not None and highest.new > limit_threshold:
        reasons.append(
            {
                "code": CREDIT_LIMIT,
                "amount": str(highest.new),
                "threshold": str(limit_threshold),
                "account": highest.account_id,
                "row": highest.row_number,
            }
        )
    return reasons


def reason_text(reason: Mapping[str, object], currency_code: str) -> str:
    """One reason as staff read it, in the active language and the store currency."""
    amounts = {
        "amount": money(Decimal(str(reason["amount"])), currency_code),
        "threshold": money(Decimal(str(reason["threshold"])), currency_code),
    }
    if reason["code"] == NET_CREDIT:
        return (
            _(
                "It adds %(amount)s of credit in total, above the %(threshold)s an import may add "
                "without a second manager's approval."
            )
            % amounts
        )
    return _(
        "Row %(row)s gives an account a credit limit of %(amount)s, above the %(threshold)s "
        "that needs a second manager's approval."
    ) % {**amounts, "row": reason["row"]}
