"""The advice dates the tool accepts (a profile's as_of, --today): light enough for any command to check."""

from __future__ import annotations

import datetime as dt

# The site's build time stamp is seconds since 1970, and dates near 9999 overflow.
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(8999, 12, 31)
ADVICE_DATES = f"expected a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
