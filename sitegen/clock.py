"""The build's clock: --now, else SOURCE_DATE_EPOCH, else the real time."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


class ClockError(ValueError):
    pass


def resolve_now(now: str | None, zone: ZoneInfo) -> datetime:
    if now:
        try:
            moment = datetime.fromisoformat(now.strip().replace(" ", "T", 1))
        except ValueError:
            raise ClockError(f"--now '{now}' is not an ISO 8601 time like 2024-05-30T10:00:00+07:00") from None
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError):
            raise ClockError(f"SOURCE_DATE_EPOCH '{epoch}' is not a whole number of seconds") from None
    return datetime.now(tz=zone)
