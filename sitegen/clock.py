"""The build's clock: --now, else SOURCE_DATE_EPOCH, else the real time."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from sitegen.errors import Diagnostic
from sitegen.messages import N_, _

#: The clock a build accepts. Earlier or later times are typing mistakes, and near the ends
#: of Python's calendar (years 1 and 9999) the dates a build works out from the clock (the
#: news sitemap's two days, a time in another zone) fall off it.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
_EXAMPLE = N_("write it like 2024-05-30T10:00:00+07:00")


class ClockError(ValueError):
    """A clock that cannot be used; ``source`` is where it came from (--now or the variable)."""

    def __init__(self, source: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.source = source
        self.message = message
        self.hint = hint

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.source, None, self.message, hint=self.hint)


def resolve_now(now: str | None, zone: ZoneInfo) -> datetime:
    if now:
        try:
            moment = datetime.fromisoformat(now.strip().replace(" ", "T", 1))
        except ValueError:
            raise ClockError("--now", _("--now '{value}' is not an ISO 8601 time").format(value=now),
                             _(_EXAMPLE)) from None
        try:
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
            # The years as written, on the clock given: 1970-01-01 00:00 in Jakarta is 1969 in UTC.
            within = EARLIEST.year <= moment.year < LATEST.year
        except OverflowError:  # an offset that carries the time past year 1 or 9999
            within = False
        if not within:
            raise ClockError("--now", _("--now '{value}' is not a time a site is built at: it must lie between the "
                                        "years {first} and {last}").format(value=now, first=EARLIEST.year,
                                                                           last=LATEST.year - 1), _(_EXAMPLE))
        return moment
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        hint = _("set it to a whole number of seconds since 1970, e.g. SOURCE_DATE_EPOCH=$(date +%s)")
        try:
            seconds = int(epoch)
        except ValueError:
            raise ClockError("SOURCE_DATE_EPOCH", _("SOURCE_DATE_EPOCH '{value}' is not a whole number of seconds")
                             .format(value=epoch), hint) from None
        try:
            moment = datetime.fromtimestamp(seconds, tz=UTC)
        except (ValueError, OverflowError, OSError):
            moment = LATEST  # past any calendar: refused just below
        if not EARLIEST <= moment < LATEST:
            raise ClockError("SOURCE_DATE_EPOCH", _("SOURCE_DATE_EPOCH '{value}' is not a time a site is built at: it "
                                                    "must lie between the years {first} and {last}").format(
                                 value=epoch, first=EARLIEST.year, last=LATEST.year - 1), hint)
        return moment
    return datetime.now(tz=zone)


def wall_time(moment: datetime, zone: tzinfo, timespec: str = "seconds") -> str:
    """``2026-12-06 12:18:31 WIB`` (``timespec`` "minutes": ``2026-12-06 12:18 WIB``): a moment
    on the site's clock, as staff read it, with the zone's short name (``UTC`` for UTC), in
    every time sitegen prints. A moment without a zone is taken as UTC, the zone sitegen
    records times in."""
    local = (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(zone)
    return f"{local.replace(tzinfo=None).isoformat(sep=' ', timespec=timespec)} {local:%Z}"
