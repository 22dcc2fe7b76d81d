"""The one way Redress writes dates and times (docs/domain.md, "Dates and times").

A date reads "11 Dec 2026"; a date and time "11 Dec 2026, 14:05 CET", in 24-hour time with the
zone named (the reader's own zone: accounts.middleware.TimeZoneMiddleware, and each e-mail's
recipient's). Templates use `|date` (DATE_FORMAT) and `|date:"DATETIME_FORMAT"`.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "H:i T"
