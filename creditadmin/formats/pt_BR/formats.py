"""Brazilian dates with the month in lower case, as Portuguese writes it: 2 de dez. de 2026.

Django's Portuguese month names are capitalised ("2 de Dezembro de 2026"); the abbreviated
ones come in lower case. Short dates stay day/month/year (02/12/2026).
"""

DATE_FORMAT = r"j \d\e b. \d\e Y"
DATETIME_FORMAT = r"j \d\e b. \d\e Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e b."
YEAR_MONTH_FORMAT = r"b. \d\e Y"
