"""The server's tools' words in deploy's messages: names as the newsroom wrote them, not in the
escapes rsync and GNU cp write them in under the C locale every command on the server runs in."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.deploy.openssh import OpenSSH
from tests.conftest import need, run
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


def test_a_name_with_a_double_quote_is_read_from_rsyncs_words() -> None:
    """rsync puts a name in double quotes and writes a '"' in it as it is: the name ended at the
    first '"' that had no ':' before the next, and what was named was the name's tail."""
    from sitegen.deploy.rsync import upload_no_room

    first, summary, sender, second, *read_only = RSYNC_SAID.splitlines(keepends=True)
    assert upload_no_room(first + summary + sender) == '/tmp/exp/rs/disk/x/with"quote.pdf'
    assert upload_no_room(second) == '/tmp/exp/rs/disk/x/Laporan Kegiatan – café"s.pdf'
    assert upload_no_room("".join(read_only)) is None
    # rsync's other words for a file it could not write, as its source has them
    assert upload_no_room('rsync: [receiver] mkstemp "/srv/x/.a"b.pdf.Xy12Zw" failed: Disk quota exceeded (122)\n'
                          ) == '/srv/x/.a"b.pdf.Xy12Zw'
    # the only one with a second name
    assert upload_no_room('rsync: [receiver] rename "/srv/x/.a"b.pdf.Xy12Zw" -> "a"b.pdf": No space left on '
                          'device (28)\n') == '/srv/x/.a"b.pdf.Xy12Zw'


@pytest.mark.parametrize("name", ['with"quote.pdf', 'Laporan "Kegiatan" – café\'s.pdf', '".pdf', 'a": b.pdf',
                                  'x" failed.pdf'])
def test_any_name_this_machines_rsync_could_not_write_is_read_back(name: str, tmp_path: Path) -> None:
    """Through this machine's own rsync in the C locale, into a disk too small for the file."""
    from sitegen.deploy.rsync import upload_no_room

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
    and the message quoted cp's line in its escapes ('caf'$'\\303\\251'' dir/Laporan it'\\''s.pdf')."""
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
        f"link \"../{new}/{folder}/{name}\" to \"{folder}/{name}\": Operation not permitted (the deploy user must "
        f"own {remote}; the live site is unchanged)"), result.err
    assert live(remote) == before and tree(remote / "current") == live_tree
