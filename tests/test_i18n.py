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


def test_words_kept_by_a_build_spare_the_next_one_babel_s_locale_data(  # type: ignore[no-untyped-def]
        make_site, tmp_path, monkeypatch) -> None:
    import babel.localedata

    from tests.test_incremental import build, clean_build_of, corpus, digest, edit

    site = make_site(corpus())
    build(site)
    edit(site / "content/berita/rilis-04.id.md", "Isi rilis 4.", "Isi rilis empat.")
    build(site)  # said the release's date, and kept it
    assert (site / ".sitegen-cache/words.pickle").is_file()
    # A new process: nothing said yet, and Babel's locale data not loaded.
    monkeypatch.setattr(i18n, "_WORDS", {})
    i18n._locale.cache_clear()
    loads: list[str] = []
    load = babel.localedata.get_locale_data
    monkeypatch.setattr(babel.localedata, "get_locale_data", lambda name: loads.append(name) or load(name))
    edit(site / "content/berita/rilis-04.id.md", "Isi rilis empat.", "Isi rilis empat, lagi.")
    build(site)
    assert loads == []
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_words_kept_by_another_babel_are_not_taken(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(i18n, "_WORDS", {})
    day = dt.date(2024, 5, 31)
    i18n.recall_words(("another babel", {("day", day, i18n.DATE_PATTERN, "id_ID"): "Wrong"}))
    strings = i18n.Strings("id", "id_ID", ZoneInfo("Asia/Jakarta"), {}, "")
    assert strings.date(dt.datetime(2024, 5, 31, 10, tzinfo=dt.UTC)) == "Jumat, 31 Mei 2024"
    i18n.recall_words((i18n.WORDS_MADE_BY, {("day", day, i18n.SHORT_DATE_PATTERN, "id_ID"): "Kept"}))
    assert strings.short_date(dt.datetime(2024, 5, 31, 10, tzinfo=dt.UTC)) == "Kept"  # taken as it was kept


def test_the_old_pair_for_one_result_is_read_as_the_text_for_exactly_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A site's i18n file with search_count and search_count_one (before the count was by
    count): the second is the text for 1, and only for 1, by whatever asks for the count."""
    from sitegen.errors import Report
    from tests.conftest import REPO

    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n/ru.yaml").write_text('search_count: "{n} результатов"\nsearch_count_one: "Один результат"\n',
                                           "utf-8")
    report = Report()
    strings = i18n.load_strings([REPO / "themes/humas/i18n", tmp_path / "i18n"], tmp_path, "ru", "ru_RU",
                                ZoneInfo("Asia/Jakarta"), report)
    assert not report.items
    # Russian's "one" is also 21: the old text names 1 and is said for 1 alone.
    assert [strings.plural("search_count", n) for n in (1, 2, 21)] == [
        "Один результат", "2 результатов", "21 результатов"]
    assert strings.forms("search_count") == {"=1": "Один результат", "other": "{n} результатов"}
    assert "search_count_one" not in strings.names and strings("search_count_one") == "Один результат"
