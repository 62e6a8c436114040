"""A long-running serve or watch assembles an edit of a release's text by swapping the
edited entries into the last site it assembled (sitegen.assemble.reassemble). Every test
holds the result against what assembling again gives, and against a clean build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.assemble import assemble
from sitegen.build import Options, State, build, prepare
from sitegen.errors import Report
from sitegen.model import Site
from tests.conftest import NOW, SMALL_CONFIG, article
from tests.test_safety import snapshot

RAPAT = "content/berita/2026-11-20-rapat.id.md"
MEETING = "content/berita/2026-11-20-rapat.en.md"
DRAFT = "content/berita/2026-11-22-draf.id.md"
EMBARGO = "content/berita/2026-11-23-embargo.id.md"
LATER = "2026-11-28T16:00:00+07:00"  # past the embargo below


def newsroom() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        RAPAT: article("Rapat koordinasi", "2026-11-20T09:00:00+07:00", tags=["banjir", "rapat"],
                       translation_key="rapat"),
        MEETING: article("Coordination meeting", "2026-11-20T09:00:00+07:00", tags=["flood"],
                         translation_key="rapat"),
        DRAFT: article("Draf", "2026-11-22T09:00:00+07:00", draft=True, tags=["banjir"]),
        EMBARGO: article("Embargo", "2026-11-23T09:00:00+07:00", embargo="2026-11-28T15:00:00+07:00"),
        "content/pages/tentang.id.md": article("Tentang kami", ""),
    }
    for n in range(1, 8):
        files[f"content/berita/2026-11-{n:02d}-kabar-{n}.id.md"] = article(
            f"Kabar {n}", f"2026-11-{n:02d}T10:00:00+07:00", tags=["banjir" if n % 2 else "jalan"])
    return files


def options(site: Path, now: str = NOW, drafts: bool = False) -> Options:
    return Options(site_dir=site, now=now, search=False, drafts=drafts)


def assembled_again(state: State) -> Site:
    """What assembling the last build's entries from scratch gives."""
    last = state.assembled
    assert last is not None
    return assemble(last.config, list(last.entries), last.site.now, Report(), drafts=last.drafts)


def shared_terms(first: Site, second: Site) -> int:
    """How many of ``second``'s terms are the very objects ``first`` held."""
    held = {id(term) for terms in first.terms.values() for term in terms}
    return sum(id(term) in held for terms in second.terms.values() for term in terms)


def body_edit(site: Path, rel: str, body: str) -> None:
    """A paragraph added below the first (which, without a ``summary:``, is the summary)."""
    with (site / rel).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{body}\n")


def test_text_edits_are_swapped_into_the_last_site(make_site: Callable[..., Path]) -> None:
    site = make_site(newsroom())
    state = State()
    first = prepare(options(site), state).site
    old = {e.source: e for e in (*first.articles["id"], *(h.entry for h in first.hidden))}
    for rel in (RAPAT, DRAFT, EMBARGO):
        body_edit(site, rel, f"Isi baru untuk {rel}.")
    second = prepare(options(site), state).site
    assert second == assembled_again(state)
    # Swapped in, not assembled again: terms without an edited entry are the same objects.
    assert shared_terms(first, second) > 0
    rapat = next(e for e in second.articles["id"] if e.source == RAPAT)
    assert rapat is not old[RAPAT] and rapat.body_key != old[RAPAT].body_key
    assert rapat.meta_hash == old[RAPAT].meta_hash
    assert second.translations["rapat"]["id"] is rapat
    assert second.others[MEETING] == (rapat,) and second.others[MEETING][0] is rapat
    tags = {t.slug: t for t in second.terms[("id", "tag")]}
    assert rapat in tags["banjir"].entries and old[RAPAT] not in tags["banjir"].entries
    hidden = {h.entry.source: h.entry for h in second.hidden}
    assert hidden[DRAFT] is not old[DRAFT] and hidden[EMBARGO] is not old[EMBARGO]
    assert {hidden[DRAFT].body_key, hidden[EMBARGO].body_key}.isdisjoint({old[DRAFT].body_key, old[EMBARGO].body_key})
    # Nothing changed at all: the same site at the new time.
    third = prepare(options(site, "2026-11-28T13:00:00+07:00"), state).site
    assert third == assembled_again(state) and third.now > second.now and shared_terms(second, third) > 0


def _retitle(site: Path) -> None:
    (site / RAPAT).write_text(article("Rapat koordinasi banjir", "2026-11-20T09:00:00+07:00",
                                      tags=["banjir", "rapat"], translation_key="rapat"), "utf-8")


def _add(site: Path) -> None:
    (site / "content/berita/2026-11-24-baru.id.md").write_text(article("Baru", "2026-11-24T09:00:00+07:00"), "utf-8")


def _remove(site: Path) -> None:
    (site / MEETING).unlink()


def _config(site: Path) -> None:
    (site / "config.yaml").write_text(SMALL_CONFIG.replace("paginate: 5", "paginate: 3"), "utf-8")


@pytest.mark.parametrize(("change", "now", "drafts"), [
    (_retitle, NOW, False),  # metadata: lists and links show it
    (_add, NOW, False),
    (_remove, NOW, False),
    (_config, NOW, False),
    (None, LATER, False),  # the embargo lifts
    (None, "2026-11-27T12:00:00+07:00", False),  # the clock went back
    (None, NOW, True),  # --drafts
])
def test_what_changes_more_than_a_text_is_assembled_again(make_site: Callable[..., Path],
                                                          change: Callable[[Path], None] | None, now: str,
                                                          drafts: bool) -> None:
    site = make_site(newsroom())
    state = State()
    first = prepare(options(site), state).site
    body_edit(site, "content/berita/2026-11-01-kabar-1.id.md", "Isi yang diubah.")  # a text edit besides
    if change is not None:
        change(site)
    second = prepare(options(site, now, drafts), state).site
    assert second == assembled_again(state)
    assert shared_terms(first, second) == 0  # every term made again


def test_rebuilds_in_one_state_write_what_a_clean_build_writes(make_site: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    """Text edits of a translated release, a draft and an embargoed one, the embargo lifting,
    a title edit and a text edit again, each rebuilt by one State as serve does; after each,
    the output is byte for byte a clean build's."""
    site = make_site(newsroom())
    state = State()
    build(options(site), state)
    steps: list[tuple[Callable[[], None], str]] = [
        (lambda: body_edit(site, RAPAT, "Rapat membahas **banjir**."), NOW),
        (lambda: body_edit(site, DRAFT, "Draf yang diubah."), NOW),
        (lambda: body_edit(site, EMBARGO, "Isi embargo yang diubah."), NOW),
        (lambda: None, LATER),
        (lambda: _retitle(site), LATER),
        (lambda: body_edit(site, MEETING, "The meeting discussed *floods*."), LATER),
    ]
    for number, (step, now) in enumerate(steps):
        step()
        build(options(site, now), state)
        clean = tmp_path / f"clean-{number}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
        build(options(clean, now), State(once=True))
        assert snapshot(site / "public") == snapshot(clean / "public"), number
