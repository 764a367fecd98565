"""English dates that no reader takes for another day: 2 Dec 2026, never 12/02/2026.

Django's English formats put the month first (12/02/2026, "Dec. 2, 2026"), which staff in
Brazil and Spain read as 12 February. Times are on the 24-hour clock, as the store keeps it.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
