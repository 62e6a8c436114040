"""Dates remembered by day read exactly as Babel writes each moment."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from sitegen.render import i18n


def test_dates_remembered_by_day_match_babel_for_every_moment() -> None:
    rng = random.Random(1)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for locale in ("id_ID", "en_US"):
        for zone in (ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura"), ZoneInfo("America/St_Johns")):
            strings = i18n.Strings("x", locale, zone, {}, "")
            for _ in range(200):
                # Minutes apart, so that several moments fall on one day, and near midnight too.
                moment = start + dt.timedelta(minutes=rng.randrange(0, 3_000_000))
                for pattern in (i18n.DATE_PATTERN, i18n.SHORT_DATE_PATTERN, i18n.DATETIME_PATTERN):
                    expected = str(format_datetime(moment.astimezone(zone), pattern, locale=locale))
                    assert strings.date(moment, pattern) == expected, (moment, zone, pattern)
    assert i18n.Strings("x", "id_ID", ZoneInfo("Asia/Jakarta"), {}, "").date(
        dt.datetime(2024, 5, 30, 20, 0, tzinfo=dt.UTC)) == "Jumat, 31 Mei 2024"
