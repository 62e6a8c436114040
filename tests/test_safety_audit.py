"""Issue 18, checked again from outside: clashes with the generated redirect file named at
the source that can be changed, an alias too long to be a file name found as a content error
before anything is written, and a build pointed at a folder that is no site writes nothing."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import NOW, add_files, article, build, need, run, run_process
from tests.test_generations import _mount_tmpfs
from tests.test_safety import snapshot

A = "content/berita/a.id.md"
B = "content/berita/b.id.md"


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def built(site: Path) -> dict[str, bytes | str]:
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    return snapshot(site / "public")


# --- clashes with /_redirects, the file every alias is written into ------------------------------

@pytest.mark.parametrize("files, where, words", [
    # An alias that needs /_redirects/ as a folder: the alias is the mistake, at its line.
    ({A: article("Rapat", aliases=["/lama/"]), B: article("Kedua", slug="kedua", aliases=["/_redirects/x/"])},
     f"{B}:5", ["alias /_redirects/x/index.html", "the redirect file /_redirects"]),
    # A static file of that name beside aliases: the static file is the mistake.
    ({A: article("Rapat", aliases=["/lama/"]), "static/_redirects": b"/a /b 301\n"},
     "static/_redirects", ["static file /_redirects", "the redirect file /_redirects"]),
])
def test_a_clash_with_the_redirect_file_is_reported_at_the_source_to_change(
        files: dict[str, str | bytes], where: str, words: list[str], make_site: Callable[..., Path]) -> None:
    site = make_site({B: article("Kedua", slug="kedua")})
    before = built(site)
    add_files(site, files)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    (line,) = error_lines(result.err)
    assert line.startswith(f"{where}: error: "), line
    for word in words:
        assert word in line, line
    assert "alias /_redirects " not in line  # the generated file is not an alias
    assert snapshot(site / "public") == before


# --- an alias no filesystem can hold -------------------------------------------------------------

@pytest.mark.parametrize("alias", [
    "/" + "a" * 256 + "/",  # one part longer than a file name may be
    "/lama/" + "b" * 300 + ".html",
    "/" + "/".join(["c" * 200] * 25) + "/",  # each part fits, the whole path does not
    "/" + "é" * 130 + "/",  # 130 characters, 260 bytes
])
def test_an_alias_too_long_for_a_file_name_is_a_content_error_at_its_line(
        alias: str, make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    before = built(site)
    (site / A).write_text(article("Rapat", aliases=["/lama/", alias]), "utf-8")
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    (line,) = error_lines(result.err)
    assert line.startswith(f"{A}:4: error: alias "), line
    assert "too long" in line, line
    assert snapshot(site / "public") == before


def test_an_alias_of_255_bytes_a_part_is_written(make_site: Callable[..., Path]) -> None:
    part = "d" * 255
    site = make_site({A: article("Rapat", aliases=[f"/{part}/"])})
    built(site)
    assert (site / "public" / part / "index.html").is_file()


# --- a build pointed at a folder that is no site -----------------------------------------------

@pytest.mark.parametrize("command", ["build", "rollback"])
def test_a_folder_without_config_is_a_config_error_and_gets_no_cache(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "bukan-situs"
    folder.mkdir()
    (folder / "catatan.txt").write_text("punya orang", "utf-8")
    result = run_process(command, "--site", folder, timeout=60)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert error_lines(result.err) == [f"config.yaml: error: no config.yaml in {folder} (run sitegen in the site "
                                       "folder or pass --site)"]
    assert sorted(p.name for p in folder.iterdir()) == ["catatan.txt"]


def test_a_site_folder_that_does_not_exist_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada"
    result = run_process("build", "--site", missing, timeout=60)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "build lock" not in result.err
    assert error_lines(result.err) == [f"config.yaml: error: no config.yaml in {missing} (run sitegen in the site "
                                       "folder or pass --site)"]
    assert not missing.exists()


# --- one site reached by two paths (a scheduled build through a linked folder, a person in it) ----

def test_builds_through_a_linked_site_path_share_the_generations(make_site: Callable[..., Path],
                                                                  tmp_path: Path) -> None:
    from sitegen.build import Options, Result
    from sitegen.oneshot import build_once

    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    linked = tmp_path / "tautan"
    linked.symlink_to(site)
    first = build_once(Options(site_dir=site, now=NOW, search=False))
    assert isinstance(first, Result)
    old = snapshot(site / "public")
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    # the same site and output, by another path
    second = build_once(Options(site_dir=linked, now=NOW, search=False))
    assert isinstance(second, Result)
    assert 0 < second.rendered < first.rendered  # only what the edit touched
    new = snapshot(site / "public")
    assert new != old
    back = run("rollback", "--site", site)
    assert back.code == 0, back.err
    assert snapshot(site / "public") == old
    again = run("rollback", "--site", linked)
    assert again.code == 0, again.err
    assert snapshot(site / "public") == new


# --- the search index removed by hand ------------------------------------------------------------

def _remove_bundle_list(public: Path) -> None:
    (public / "pagefind/bundles.json").unlink()


def _remove_one_bundle(public: Path) -> None:
    listed = json.loads((public / "pagefind/bundles.json").read_text("utf-8"))
    shutil.rmtree(public / "pagefind" / listed["id"][0])


def _remove_the_index(public: Path) -> None:
    shutil.rmtree(public / "pagefind")


def _searched_site(make_site: Callable[..., Path]) -> tuple[Path, dict[str, bytes | str]]:
    """A site of two releases and a page, built with its search index, and its output's files."""
    from sitegen import searchindex

    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua"),
                      "content/pages/tentang.id.md": article("Tentang", date="")})
    first = build(site)
    assert first.code == 0, first.err
    return site, snapshot(site / "public")


@pytest.mark.parametrize("remove", [_remove_bundle_list, _remove_one_bundle, _remove_the_index])
def test_a_search_index_removed_by_hand_is_made_again_by_the_next_build(
        remove: Callable[[Path], None], make_site: Callable[..., Path], tmp_path: Path) -> None:
    site, whole = _searched_site(make_site)
    remove(site / "public")
    again = build(site)
    assert again.code == 0, again.err
    assert "nothing changed" not in again.out
    assert snapshot(site / "public") == whole


def test_a_search_bundle_changed_by_hand_is_mended_and_only_its_bundle_indexed_again(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundles were not in the build's record: a file of one edited or deleted by hand
    stayed so, build after build. A file deleted is taken back from the previous generation;
    a file edited in place (shared with it: a hard link) makes its bundle again, byte for byte;
    a file only touched is read, found the same, and leaves nothing to do."""
    from sitegen import searchindex

    site, whole = _searched_site(make_site)
    pagefind = site / "public/pagefind"
    news, pages = json.loads((pagefind / "bundles.json").read_text("utf-8"))["id"]
    with open(pagefind / news / "pagefind.js", "ab") as script:
        script.write(b"\nalert('diubah');\n")
    (fragment,) = (pagefind / pages / "fragment").iterdir()
    fragment.unlink()
    indexed: list[str] = []
    index_all = searchindex._index_all
    monkeypatch.setattr(searchindex, "_index_all", lambda binary, todo, *rest: (
        indexed.extend(b.name for b in todo), index_all(binary, todo, *rest))[1])
    again = build(site)
    assert again.code == 0, again.err
    assert "nothing changed" not in again.out
    assert snapshot(site / "public") == whole
    assert indexed == [news.rstrip("/")]
    os.utime(pagefind / news / "pagefind.js")  # a new mtime, the same bytes
    third = build(site)
    assert "nothing changed" in third.out, third.out
    assert indexed == [news.rstrip("/")] and snapshot(site / "public") == whole


def test_an_index_made_before_its_bundles_were_sealed_is_sealed_as_it_is(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A site indexed by an older sitegen (no seals kept) is not indexed again whole: its
    bundles are taken as they are and sealed by the next build that writes, and from then
    on a file changed by hand is mended."""
    from sitegen import generations, searchindex

    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = make_site({A: article("Rapat"), "content/pages/tentang.id.md": article("Tentang", date="")})
    assert build(site).code == 0
    seals = generations.locate(site, site / "public").home / searchindex.SEALS
    seals.unlink()  # as an older sitegen left it
    indexed: list[str] = []
    index_all = searchindex._index_all
    monkeypatch.setattr(searchindex, "_index_all", lambda binary, todo, *rest: (
        indexed.extend(b.name for b in todo), index_all(binary, todo, *rest))[1])
    assert "nothing changed" in build(site).out
    (site / B).write_text(article("Kedua", slug="kedua", date="2023-02-01T10:00:00+07:00"), "utf-8")
    assert build(site).code == 0
    assert [name.split("-")[1] for name in indexed] == ["2023"] and seals.is_file()  # only the new bundle
    whole = snapshot(site / "public")
    pagefind = site / "public/pagefind"
    pages = json.loads((pagefind / "bundles.json").read_text("utf-8"))["id"][-1]
    (pagefind / pages / "pagefind-entry.json").write_text("{}", "utf-8")
    assert "nothing changed" not in build(site).out
    assert snapshot(site / "public") == whole


# --- a section folder named like a list sitegen makes ---------------------------------------------

@pytest.mark.parametrize("section", ["tags", "categories", "units", "archive", "search"])
def test_a_section_folder_taking_the_address_of_a_generated_index_is_named(
        section: str, make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat", tags=["rapat"], category="Umum"), B: article("Kedua", slug="kedua")})
    before = built(site)
    (site / f"content/{section}").mkdir()
    (site / f"content/{section}/x.id.md").write_text(article("Rilis X", tags=["x"]), "utf-8")
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    (line,) = error_lines(result.err)
    assert line.startswith(f"content/{section}/x.id.md: error: the folder content/{section}/ cannot be a "
                           f"section: /{section}/ "), line
    assert line.endswith("(rename the folder, for example to content/berita/)"), line
    assert snapshot(site / "public") == before


# --- two sites built into one output folder -----------------------------------------------------

def _build_command(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(out), "--now", NOW,
            "--no-search"]


def test_a_build_of_another_site_into_the_same_output_waits_and_says_so(make_site: Callable[..., Path],
                                                                        tmp_path: Path) -> None:
    one = make_site({A: article("Rapat satu")}, name="satu")
    two = make_site({A: article("Rapat dua")}, name="dua")
    out = tmp_path / "bersama"
    assert build(one, "--no-search", "--output", str(out)).code == 0
    before = snapshot(out)
    held = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a build of the other site holds it
        proc = subprocess.Popen(_build_command(two, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        first = proc.stderr.readline()  # printed while it waits; nothing has been switched
        assert first.strip() == f"waiting for another sitegen build into {out} to finish ...", first
        assert proc.poll() is None and snapshot(out) == before
    finally:
        os.close(held)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert "Rapat dua" in (out / "berita/2024/a/index.html").read_text("utf-8")


def test_two_sites_built_into_one_output_at_once_leave_one_whole_site(make_site: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    sites = [make_site({}, name=name) for name in ("satu", "dua")]
    out = tmp_path / "bersama"
    for round_ in range(3):
        for n, site in enumerate(sites):
            for i in range(15):
                (site / f"content/berita/r{i:02d}.id.md").parent.mkdir(parents=True, exist_ok=True)
                (site / f"content/berita/r{i:02d}.id.md").write_text(
                    article(f"Situs {n} rilis {i}", slug=f"r{i:02d}", body=f"Putaran {round_}."), "utf-8")
        procs = [subprocess.Popen(_build_command(site, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for site in sites]
        for proc in procs:
            _out, err = proc.communicate(timeout=600)
            assert "Traceback" not in err, err
            assert proc.returncode in (0, 2), err
        whole = []
        for n, site in enumerate(sites):
            copy = tmp_path / f"bersih-{round_}-{n}"
            shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
            assert subprocess.run(_build_command(copy, copy / "public"), capture_output=True).returncode == 0
            whole.append(snapshot(copy / "public"))
        now = snapshot(out)
        assert now in whole, sorted(p for p in now if now.get(p) not in (whole[0].get(p), whole[1].get(p)))[:5]


# --- two first builds into one new output folder ------------------------------------------------

def _clean_build(site: Path, tmp_path: Path, name: str) -> dict[str, bytes | str]:
    copy = tmp_path / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert subprocess.run(_build_command(copy, copy / "public"), capture_output=True).returncode == 0
    return snapshot(copy / "public")


def test_a_first_build_whose_new_output_another_build_made_meanwhile_says_so(
        make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No output folder, so nothing to lock: the first build of another site into it made it
    while this one rendered. This one said "Directory not empty" about its own staging folder,
    and that the published site was unchanged (check the folder)."""
    from sitegen import generations

    one = make_site({A: article("Rapat satu")}, name="satu")
    two = make_site({A: article("Rapat dua")}, name="dua")
    out = tmp_path / "baru"
    write_marker = generations.write_marker

    def the_other_build_first(*args: object) -> None:
        if not out.exists():
            assert run_process(*_build_command(one, out)[3:], timeout=120).code == 0
        write_marker(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(generations, "write_marker", the_other_build_first)
    result = build(two, "--no-search", "--output", str(out))
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert error_lines(result.err) == [
        f"{out}: error: another build made this output folder while this one was running; this build published "
        "nothing (build again once the other build has finished; if two sites share this output folder, give "
        "each its own)"]
    assert snapshot(out) == _clean_build(one, tmp_path, "bersih-satu")
    (home,) = (two / ".sitegen-cache").glob("output-*")
    assert not (home / "previous").exists() and not (home / "staging").exists()  # nothing of it left
    monkeypatch.undo()
    again = build(two, "--no-search", "--output", str(out))  # as it says: this site replaces the other
    assert again.code == 0, again.err
    assert snapshot(out) == _clean_build(two, tmp_path, "bersih-dua")


def test_two_first_builds_sharing_the_folder_beside_a_new_output_take_turns(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    """An output on another disk than the sites' caches: sitegen's folder for it sits beside it,
    one for both sites. Two first builds at once emptied each other's staging folder there:
    both failed ("No such file or directory" in .bersama.sitegen/staging/...), and one could
    have published the other's half-written files. They take turns now, as later builds do."""
    sites = [make_site({f"content/berita/r{i:02d}.id.md": article(f"Situs {n} rilis {i}", slug=f"r{i:02d}")
                        for i in range(30)}, name=name) for n, name in enumerate(("satu", "dua"))]
    whole = [_clean_build(site, tmp_path, f"bersih-{n}") for n, site in enumerate(sites)]
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=32m")
    try:
        _race_first_builds(sites, whole, disk / "bersama")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _race_first_builds(sites: list[Path], whole: list[dict[str, bytes | str]], out: Path) -> None:
    for _round in range(3):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out.parent / ".bersama.sitegen", ignore_errors=True)
        for site in sites:
            shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
        procs = [subprocess.Popen(_build_command(site, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for site in sites]
        for proc in procs:
            _out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err
        assert snapshot(out) in whole


def test_a_static_file_named_as_sitegen_s_marker_is_a_clash_not_dropped(make_site: Callable[..., Path]) -> None:
    """README, Clashes: a static file over the marker is an error naming it. Hidden names of
    static/ are not published, so the file was dropped without a word."""
    site = make_site({A: article("Rapat"), "static/.sitegen-output.json": "{}\n",
                      "static/.well-known/security.txt": "Contact: mailto:humas@example.go.id\n"})
    result = build(site, "--no-search")
    assert result.code == 1, result.out
    assert "static/.sitegen-output.json: error: " in result.err
    assert "clashes with sitegen's own file /.sitegen-output.json" in result.err
    assert not (site / "public").exists()
    (site / "static/.sitegen-output.json").unlink()
    # other hidden names stay private, as before, sitegen-like ones too
    (site / "static/.editor-backup").write_text("litter", "utf-8")
    (site / "static/.sitegen-notes.txt").write_text("notes", "utf-8")
    assert build(site, "--no-search").code == 0
    assert not (site / "public/.editor-backup").exists() and not (site / "public/.sitegen-notes.txt").exists()
    assert (site / "public/.well-known/security.txt").is_file()
