"""Where a change came from: the channel and source recorded with every history row.

Services set ``account._change_source`` before saving; the signal below copies it onto
the historical record django-simple-history is about to write. A source or a reason the
app words itself ("Import #12 row 5", "Holder … added.") is stored as a code and its
parameters (``coded``) and worded when read (``stored_text``), in the reader's language.
"""

import json
from dataclasses import dataclass

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record

from .problems import Message, render_message

HISTORY_MESSAGES = {
    "import_row": Message(_("Import #%(job)s row %(row)s")),
    "revert_row": Message(_("Revert of import #%(job)s row %(row)s")),
    "api_key": Message(_("API key %(name)s")),
    "demo_data": Message(_("Demo data")),
    "holder_added": Message(_("Holder %(email)s added.")),
    "holder_removed": Message(_("Holder %(email)s removed.")),
}


def coded(code: str, **params: object) -> str:
    """A history source or reason as stored: its code and parameters, in no language."""
    return json.dumps({"code": code, "params": params}, ensure_ascii=False)


def stored_text(stored: str | None) -> str:
    """A stored source or reason in the active language; plain text (a username, a label
    stored before codes) reads as it is."""
    if not stored or not stored.startswith("{"):
        return stored or ""
    try:
        entry = json.loads(stored)
        return render_message(entry["code"], entry["params"], messages=HISTORY_MESSAGES)
    except (ValueError, KeyError, TypeError):
        return stored


class Channel(models.TextChoices):
    FORM = "form", _("Web form")
    IMPORT = "import", _("CSV import")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("System")


# Only history has this channel (an import's revert writes accounts, never the ledger), so it
# is not among the Channel choices the ledger's movements share.
REVERT_CHANNEL = "revert"
HISTORY_CHANNELS = [*Channel.choices, (REVERT_CHANNEL, _("Revert of an import"))]


@dataclass(frozen=True)
class ChangeSource:
    """Who or what made a change, as shown in an account's history."""

    channel: str
    label: str = ""
    user_id: int | None = None


class HistoricalChangeSource(models.Model):
    """Extra columns of every historical account row."""

    history_channel = models.CharField(
        _("channel"), max_length=10, choices=HISTORY_CHANNELS, default=Channel.SYSTEM
    )
    history_source = models.CharField(_("source"), max_length=200, blank=True)
    # Lineage of a change written by an import (or an import's revert): the job's number and
    # the file's row, as data the account page links and the job page lists by. A plain
    # number, not a foreign key: accounts do not depend on the imports app, and history
    # outlives a deleted job. Indexed for the job page's list of the accounts it touched.
    history_import = models.PositiveIntegerField(_("import"), null=True, blank=True, db_index=True)
    history_row = models.PositiveIntegerField(_("row"), null=True, blank=True)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def copy_change_source(sender, instance, history_instance, **kwargs) -> None:
    source: ChangeSource | None = getattr(instance, "_change_source", None)
    if source is None:
        return
    history_instance.history_channel = source.channel
    history_instance.history_source = source.label[:200]
    if source.user_id and not history_instance.history_user_id:
        history_instance.history_user_id = source.user_id
