"""The server's tools' words in deploy's messages: names as the newsroom wrote them, not in the
escapes rsync and GNU cp write them in under the C locale every command on the server runs in."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.deploy.openssh import OpenSSH
from tests.conftest import add_files, need, run
from tests.test_deploy import edit, live, releases, site_for, tmpfs, tree

#: What rsync 3.5.0 said in the C locale, sending files of these names into a full disk (the
#: first two) and a read-only one (the other two): exactly.
RSYNC_SAID = r"""rsync: [receiver] write failed on "/tmp/exp/rs/disk/x/with"quote.pdf": No space left on device (28)
rsync error: error in file IO (code 11) at receiver.c(657) [receiver=3.5.0]
rsync: [sender] write error: Broken pipe (32)
rsync: [receiver] write failed on "/tmp/exp/rs/disk/x/Laporan Kegiatan \#342\#200\#223 caf\#303\#251"s.pdf": No space left on device (28)
rsync: [receiver] mkstemp "/tmp/exp/rs/disk/x/.Laporan Kegiatan \#342\#200\#223 caf\#303\#251"s.pdf.L6ls4e" failed: Read-only file system (30)
rsync: [receiver] mkstemp "/tmp/exp/rs/disk/x/.with"quote.pdf.jsyvzv" failed: Read-only file system (30)
"""  # noqa: E501 (as rsync said them)


def upload_no_room(said: str) -> str | None:
    """The file rsync's words ``said`` name as one it had no room for, as the upload reads them."""
    from sitegen.deploy import quoted

    found = quoted.rsync_named(said)
    return found.path if found is not None and found.reason in quoted.NO_ROOM else None


def test_a_name_with_a_double_quote_is_read_from_rsyncs_words() -> None:
    """rsync puts a name in double quotes and writes a '"' in it as it is: the name ended at the
    first '"' that had no ':' before the next, and what was named was the name's tail."""
    first, summary, sender, second, *read_only = RSYNC_SAID.splitlines(keepends=True)
    assert upload_no_room(first + summary + sender) == '/tmp/exp/rs/disk/x/with"quote.pdf'
    assert upload_no_room(second) == '/tmp/exp/rs/disk/x/Laporan Kegiatan – café"s.pdf'
    assert upload_no_room("".join(read_only)) is None
    # rsync's other words for a file it could not write, as its source has them
    assert upload_no_room('rsync: [receiver] mkstemp "/srv/x/.a"b.pdf.Xy12Zw" failed: Disk quota exceeded (122)\n'
                          ) == '/srv/x/a"b.pdf'
    # the only one with a second name
    assert upload_no_room('rsync: [receiver] rename "/srv/x/.a"b.pdf.Xy12Zw" -> "a"b.pdf": No space left on '
                          'device (28)\n') == '/srv/x/a"b.pdf'


@pytest.mark.parametrize("name", ['with"quote.pdf', 'Laporan "Kegiatan" – café\'s.pdf', '".pdf', 'a": b.pdf',
                                  'x" failed.pdf'])
def test_any_name_this_machines_rsync_could_not_write_is_read_back(name: str, tmp_path: Path) -> None:
    """Through this machine's own rsync in the C locale, into a disk too small for the file."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_bytes(os.urandom(1_500_000))
    with tmpfs(tmp_path / "disk", "1m") as disk:
        (tmp_path / "list").write_bytes(os.fsencode(name) + b"\0")
        said = subprocess.run(["rsync", "--recursive", "--from0", f"--files-from={tmp_path / 'list'}",
                               f"{tmp_path / 'src'}/", f"{disk}/x/"], capture_output=True,
                              env={**os.environ, "LC_ALL": "C"}, check=False).stderr.decode("ascii")
        assert "No space left on device" in said, said
        assert upload_no_room(said) == f"{disk}/x/{name}", said


#: What GNU coreutils 9.1 (and findutils, and dash) said in the C locale: cp and ln linking files
#: of a live release whose files cannot be linked (immutable), or where a file of that name is
#: already there, or into a full disk; rm and mv on an immutable file. Exactly, as said; the
#: second of each pair is the line as a message now quotes it.
GNU_SAID = [
    (r"""cp: cannot create hard link '../new/caf'$'\303\251'' dir/it'\''s.html' to 'caf'$'\303\251'' dir/it'\''s.html': Operation not permitted""",  # noqa: E501
     """cp: cannot create hard link "../new/café dir/it's.html" to "café dir/it's.html": Operation not permitted"""),
    (r"""cp: cannot create hard link '../new/caf'$'\303\251'' dir/a"b.html' to 'caf'$'\303\251'' dir/a"b.html': Operation not permitted""",  # noqa: E501
     """cp: cannot create hard link '../new/café dir/a"b.html' to 'café dir/a"b.html': Operation not permitted"""),
    (r"""cp: cannot create hard link '../new/caf'$'\303\251''.jpg' to 'caf'$'\303\251''.jpg': File exists""",
     """cp: cannot create hard link '../new/café.jpg' to 'café.jpg': File exists"""),
    (r"""rm: cannot remove 'd/caf'$'\303\251'' it'\''s.x': Operation not permitted""",
     """rm: cannot remove "d/café it's.x": Operation not permitted"""),
    (r"""mv: cannot move 'd/caf'$'\303\251'' it'\''s.x' to 'd/zz '$'\303\251': Operation not permitted""",
     """mv: cannot move "d/café it's.x" to 'd/zz é': Operation not permitted"""),
    (r"""ln: failed to create hard link 'd/ln '$'\303\251' => 'd/caf'$'\303\251'' it'\''s.x': Operation not permitted""",  # noqa: E501
     """ln: failed to create hard link 'd/ln é' => "d/café it's.x": Operation not permitted"""),
    # a name that does not fit on one line stays in cp's escapes
    (r"""cp: cannot create hard link '../new/nl'$'\n''x' to 'nl'$'\n''x': No space left on device""",
     r"""cp: cannot create hard link '../new/nl'$'\n''x' to 'nl'$'\n''x': No space left on device"""),
    (RSYNC_SAID.splitlines()[4],
     """rsync: [receiver] mkstemp "/tmp/exp/rs/disk/x/.Laporan Kegiatan – café"s.pdf.L6ls4e" failed: Read-only file """
     """system (30)"""),
    # the words of tools that quote otherwise, or not at all, as they are
    (r"""find: 'd/sub \303\251': Permission denied""", r"""find: 'd/sub \303\251': Permission denied"""),
    ("sh: 1: cd: can't cd to /srv/it's here", "sh: 1: cd: can't cd to /srv/it's here"),
]


@pytest.mark.parametrize(("said", "shown"), GNU_SAID)
def test_names_in_a_tools_last_words_read_as_written(said: str, shown: str) -> None:
    from sitegen.deploy.quoted import readable

    assert readable(said) == shown


@pytest.fixture
def ssh(tmp_path: Path) -> Iterator[OpenSSH]:
    from sitegen.deploy.endpoint import parse_url

    transport = OpenSSH("production", parse_url("ssh://humas@web.example.go.id/srv/humas"), tmp_path / "known_hosts",
                        None, False)
    yield transport
    transport.close()


def test_the_servers_words_in_a_message_name_files_as_written(ssh: OpenSSH) -> None:
    """The two messages that quote the server's last line of error."""
    denied, _ = GNU_SAID[0]
    problem = ssh.problem(1, f"xargs: sh: exited with status 255; aborting\n{denied}\n", "linking unchanged files")
    assert problem.diagnostics[0].message == (
        "permission denied on the server while linking unchanged files: cp: cannot create hard link "
        "\"../new/café dir/it's.html\" to \"café dir/it's.html\": Operation not permitted")
    there, _ = GNU_SAID[2]
    assert ssh.problem(1, there + "\n", "linking unchanged files").diagnostics[0].message == (
        "linking unchanged files failed on the server: cp: cannot create hard link '../new/café.jpg' to 'café.jpg': "
        "File exists")


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``path`` may not be linked, changed or removed, until the end (chattr +i; root only)."""
    chattr = shutil.which("chattr")
    need(os.geteuid() == 0 and chattr is not None, "an immutable file needs root and chattr")
    assert chattr
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
    need(made.returncode == 0, f"chattr +i failed here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_a_file_of_the_live_release_the_server_may_not_link_is_named_as_written(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a server with protected hard links (Debian's default) a file in the live release that
    the deploy user does not own (one put there by hand, as another user) cannot be linked into
    the new release; here the file is immutable, which stops root the same way. cp names it,
    and the message quoted cp's line in its escapes ('caf'$'\\303\\251'' dir/Laporan it'\\''s.pdf'). cp
    runs in the target's folder: the names are releases/<id>/..., as the other steps' are."""
    remote = tmp_path / "www" / "humas"
    site = site_for("ssh", remote, tmp_path, request, monkeypatch, 2)
    folder, name = "café dir", "Laporan it's.pdf"
    (site / "static" / folder).mkdir(parents=True)
    (site / "static" / folder / name).write_bytes(b"%PDF-1.4\n")
    assert run("deploy", "--site", site).code == 0
    before, live_tree = live(remote), tree(remote / "current")
    edit(site, 1, "Isi baru.")
    with immutable(remote / before / folder / name):
        result = run("deploy", "--site", site)
    assert result.code == 1, result.out + result.err
    new = next(release for release in releases(remote) if f"releases/{release}" != before)
    assert result.err.startswith(
        f"production: error: permission denied on the server while linking unchanged files: cp: cannot create hard "
        f"link \"releases/{new}/{folder}/{name}\" to \"{before}/{folder}/{name}\": Operation not permitted (the deploy "
        f"user must own {remote}; the live site is unchanged)"), result.err
    assert live(remote) == before and tree(remote / "current") == live_tree


#: What rsync 3.5.0 said in the C locale, sending into a disk out of file entries (a tmpfs with too
#: small an nr_inodes) and then made read-only: exactly. A file is written to a temporary file
#: beside it, "." + its name + "." + 6 random characters (a name that starts with "." gets no
#: second one; one too long for it cut short), and the temporary file is what its words name.
RSYNC_TEMP_SAID = r"""rsync: [receiver] mkstemp "/tmp/rsx/disk/x/.a.b.c.tar.gz.g48hIB" failed: No space left on device (28)
rsync: [receiver] mkstemp "/tmp/rsx/disk/x/.caf\#303\#251 \#342\#200\#223 it"s.pdf.xdnJcz" failed: No space left on device (28)
rsync: [receiver] mkstemp "/tmp/rsx/disk/x/.htaccess.9rzMBf" failed: No space left on device (28)
rsync: [receiver] mkstemp "/tmp/rsx/disk/x/.pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp.Whi3BO" failed: No space left on device (28)
rsync: [generator] recv_generator: mkdir "/tmp/rsx/disk/x/sub" failed: Read-only file system (30)
rsync: [receiver] mkstemp "/tmp/rsx/disk/x/.laporan.pdf.SvcaeF" failed: Read-only file system (30)
rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]
"""  # noqa: E501 (as rsync said them)


def test_rsyncs_temporary_file_is_named_by_the_file_it_stands_for() -> None:
    """A disk out of file entries, not bytes, fails the temporary file's making, and the message
    named '.laporan.pdf.SvcaeF', a file the newsroom never had."""
    from sitegen.deploy.quoted import rsync_named

    lines = RSYNC_TEMP_SAID.splitlines()
    sent = {f"/tmp/rsx/disk/x/{name}" for name in ("a.b.c.tar.gz", "café – it\"s.pdf", ".htaccess", "p" * 250 + ".pdf",
                                                   "p" * 250 + ".jpg/x", "sub/x.html", "laporan.pdf")}

    def named(line: str) -> tuple[str, str] | None:
        found = rsync_named(line, sent)
        return (found.path, found.reason) if found else None

    assert named(lines[0]) == ("/tmp/rsx/disk/x/a.b.c.tar.gz", "No space left on device")
    assert named(lines[1]) == ('/tmp/rsx/disk/x/café – it"s.pdf', "No space left on device")
    assert named(lines[2]) == ("/tmp/rsx/disk/x/.htaccess", "No space left on device")  # not "htaccess"
    assert named(lines[3]) == ("/tmp/rsx/disk/x/" + "p" * 250 + ".pdf", "No space left on device")
    assert named(lines[4]) == ("/tmp/rsx/disk/x/sub", "Read-only file system")  # a folder: its own name
    assert named(lines[5]) == ("/tmp/rsx/disk/x/laporan.pdf", "Read-only file system")
    assert named(lines[6]) is None
    # without the files sent to tell: the name in the temporary one's
    assert rsync_named(lines[2]) is not None and rsync_named(lines[2]).path == "/tmp/rsx/disk/x/htaccess"  # type: ignore[union-attr]
    # a file really named like a temporary one, which rsync's words name as it is
    assert rsync_named('rsync: [receiver] write failed on "/srv/x/.a.pdf.Xy12Zw": No space left on device (28)'
                       ).path == "/srv/x/.a.pdf.Xy12Zw"  # type: ignore[union-attr]


def _named_in(said: str, start: str, end: str) -> str:
    """What the error among ``said``'s lines names between ``start`` and ``end``."""
    message = next((line for line in said.splitlines() if ": error: " in line), "")
    assert message.startswith(start) and end in message, said
    return message[len(start):].partition(end)[0]


def test_a_read_only_folder_the_release_is_made_in_is_named(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """releases/ on a read-only disk: the server's mkdir said why, and rsync's summary came after
    it ('rsync error: error in rsync protocol data stream (code 12)'), which the message quoted."""
    remote = tmp_path / "www" / "humas"
    site = site_for("ssh", remote, tmp_path, request, monkeypatch, 2)
    assert run("build", "--site", site).code == 0  # --no-build: no check before, the upload meets it
    with tmpfs(remote / "releases", "1m", read_only=True):
        result = run("deploy", "--site", site, "--no-build")
    assert result.code == 1, result.out + result.err
    assert re.match(r"production: error: permission denied on the server while uploading: mkdir: cannot create "
                    rf"directory 'releases/\d{{8}}T\d{{6}}Z': Read-only file system \(the deploy user must own "
                    rf"{remote};", result.err), result.err


def test_a_read_only_folder_inside_the_release_is_named_not_rsyncs_summary(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the release writes into that the deploy user may not write (here a read-only disk
    mounted there, as root may write anywhere else): rsync names it, and goes on with the
    other files, and its last words are its summary ('rsync error: some files/attrs were not
    transferred (see previous errors) (code 23) at main.c(...)'), which the message quoted. Now
    it names the file or folder rsync could not write, from the target's folder, as written."""
    release = "20300101T000000Z"
    monkeypatch.setattr("sitegen.deploy.layout.new_id", lambda existing, now=None: release)
    remote = tmp_path / "www" / "humas"
    site = site_for("ssh", remote, tmp_path, request, monkeypatch, 2)
    folder = "Laporan – café"
    add_files(site, {f"static/{folder}/rekap {i}.pdf": b"%PDF-1.4\n" for i in range(3)})
    (remote / "releases" / release / folder).mkdir(parents=True)
    with tmpfs(remote / "releases" / release / folder, "1m", read_only=True):
        result = run("deploy", "--site", site)
    assert result.code == 1, result.out + result.err
    named = _named_in(result.err, "production: error: permission denied on the server while uploading: ",
                      f": Read-only file system (the deploy user must own {remote};")
    assert named in {f"releases/{release}/{folder}", *(f"releases/{release}/{folder}/rekap {i}.pdf" for i in range(3))
                     }, result.err
    assert "rsync error" not in result.err, result.err


def test_a_disk_out_of_file_entries_names_the_file_not_rsyncs_temporary_one(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Room for the bytes, not for the files: rsync could not make the temporary file it writes
    a file into first ('.rekap 7.pdf.Xy12Zw'), and the message named that."""
    folder = "Laporan – café"
    with tmpfs(tmp_path / "disk", "8m", inodes=2000) as disk:
        remote = disk / "humas"
        site = site_for("ssh", remote, tmp_path, request, monkeypatch, 2)
        add_files(site, {f"static/{folder}/rekap {i}.pdf": b"%PDF-1.4\n" for i in range(200)})
        assert run("build", "--site", site).code == 0
        entries = sum(1 for _ in (site / "public").rglob("*"))
        filler = disk / "filler"
        filler.mkdir()
        while os.statvfs(disk).f_favail > entries - 100:  # the folders fit, and some of the files
            (filler / str(os.statvfs(disk).f_favail)).touch()
        result = run("deploy", "--site", site, "--no-build")
    assert result.code == 1, result.out + result.err
    named = _named_in(result.err, f"production: error: the target's disk is full while uploading ({remote}/releases/",
                      ") (free space there")
    assert (site / "public" / named.partition("/")[2]).is_file(), result.err


def test_sizes_are_written_as_the_ui_language_writes_numbers() -> None:
    """'610 berkas terkirim (9.1 MB) dalam 1,5 dtk': the size kept the English point beside the
    Indonesian comma of the seconds."""
    from sitegen.deploy.progress import human_bytes
    from sitegen.messages import set_language

    set_language("id")  # the conftest fixture sets English back
    assert (human_bytes(9_123_456), human_bytes(512), human_bytes(1_500)) == ("9,1 MB", "512 B", "1,5 kB")
    set_language("en")
    assert (human_bytes(9_123_456), human_bytes(2_000_000_000)) == ("9.1 MB", "2.0 GB")
