"""Times as staff read them: on the store's clock, with that clock named beside them.

"13:28" alone does not say whose 13:28 it is; staff elsewhere, and anyone comparing a page
with an export's UTC timestamps, need the zone named (settings.TIME_ZONE_NAME).
"""

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

FORMATS = {"short": "SHORT_DATETIME_FORMAT", "long": "DATETIME_FORMAT"}


def zone_label() -> str:
    """`São Paulo time`, in the active language."""
    return _("%(zone)s time") % {"zone": settings.TIME_ZONE_NAME}


@register.simple_tag
def store_zone() -> SafeString:
    """The store's clock named once, for a column of times (a table heading)."""
    return format_html('<span class="time-zone">({})</span>', zone_label())


@register.filter
def store_time(value: datetime | None, length: str = "short") -> SafeString | str:
    """`2 Dec 2026, 13:28 (São Paulo time)` in a <time> element; `length` is short or long."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{} <span class="time-zone">({})</span></time>',
        local.isoformat(),
        date_format(local, FORMATS.get(length, FORMATS["short"])),
        zone_label(),
    )
