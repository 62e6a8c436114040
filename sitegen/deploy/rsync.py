"""``ssh://`` targets through the system's OpenSSH and rsync.

Control steps (list releases, write the mark, switch, prune) are short POSIX sh scripts
run over ssh; pruning renames the old releases and leaves their removal to a detached
process on the server (``_DISCARD``), while half-sent releases are removed in full before
an upload (``_REMOVE_HALF_SENT``). A redeploy makes the new release on the server
first, in one command: a copy of the live release made of hard links (``cp -al``, two at a
time), less what the new release lacks, and the added and changed files whose bytes the live
release holds under another name (a search bundle, renamed by any edit) linked from there
(``_LINK``); then rsync sends only the other added and changed files (``--files-from``,
``--ignore-times``: they are known to differ, whatever their modification times say), with the
live file, already in place, as the basis of its delta transfer. Neither side walks the
whole site for rsync, which would cost more than everything else a one-file redeploy does.
The copy lists what it holds, so a file missing from the live release is sent and one the
new release must not have is removed. A server whose ``cp`` cannot make hard links gets the
unchanged files linked by rsync instead (``--link-dest`` with ``--size-only``: the digests
already proved them equal, so nothing of them is read or sent).
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from sitegen.deploy import layout, quoted, sweep
from sitegen.deploy.layout import Releases
from sitegen.deploy.openssh import C_LOCALE, OpenSSH, telling
from sitegen.deploy.plan import Plan, to_clear
from sitegen.deploy.problems import (
    FULL_BELOW_KB,
    DeployFailed,
    DeployRefused,
    blocked,
    disk_full,
    failed,
)
from sitegen.deploy.snapshot import Snapshot
from sitegen.deploy.transport import WRITE_TEST, OnSent, Sent, Taken
from sitegen.messages import _

#: A release id as a shell pattern (``layout.is_release_id``), put in the scripts for "@ID@":
#: only folders named as releases, and files named as a release's books, are ever moved or
#: removed by them.
_ID_GLOB = "[0-9]" * 8 + "T" + "[0-9]" * 6 + "Z"
# $1 is always the target's path, $2 a release id checked here too (it reaches rm -rf).
_CHECK_ID = f'case "$2" in {_ID_GLOB}) ;; *) echo "bad release id" >&2; exit 3 ;; esac; '

#: What ``layout.in_the_way`` needs to know of the target's folder $1 (``current`` read apart).
_FACTS = r'''
facts() {
  { [ -e "$1/current" ] || [ -h "$1/current" ]; } && echo there
  [ -e "$1/current" ] && echo leads
  for d in releases .sitegen-deploy; do
    { [ -e "$1/$d" ] || [ -h "$1/$d" ]; } && [ ! -d "$1/$d" ] && printf 'notfolder\t%s\n' "$d"
  done
  return 0
}
'''
_LIST = _FACTS + r'''
echo sitegen-list
command -v rsync >/dev/null 2>&1 && echo rsync
[ -d "$1" ] || { echo missing; exit 0; }
cd -- "$1" 2>/dev/null || exit 0
# books that cannot be read would make every release look half-sent (and removed)
[ ! -d .sitegen-deploy ] || ls -- .sitegen-deploy >/dev/null || exit 1
link=$(readlink current 2>/dev/null) && printf 'current\t%s\n' "$link"
[ -h current ] && printf 'since\t%s\n' "$(stat -c %Y current 2>/dev/null || stat -f %m current 2>/dev/null)"
facts .
marked() {
  for f in ".sitegen-deploy/$1.sitegen-complete" "releases/$1.sitegen-complete" "releases/$1/.sitegen-complete"; do
    [ -f "$f" ] && m=$(cat "$f") && [ "$m" = "$1" ] && return 0
  done
  m=
  return 1
}
for d in releases/*; do
  [ -d "$d" ] && [ ! -h "$d" ] || continue
  n=${d#releases/}
  sent=
  if ! marked "$n"; then
    # its sending mark (mtime, then what it holds, on one line), then the completion mark
    # again: a deploy writes its completion mark before it removes its sending mark. A time
    # stat cannot give is "now": the mark is there, and counts as written a moment ago.
    s=.sitegen-deploy/$n.sitegen-sending
    if [ -f "$s" ]; then
      sent=1
      t=$(stat -c %Y -- "$s" 2>/dev/null || stat -f %m -- "$s" 2>/dev/null)
      c=$(head -c 4096 -- "$s" 2>/dev/null | tr -d '\t\r\n')
    fi
    ! marked "$n" || sent=
  fi
  printf 'release\t%s\t%s\n' "$n" "$m"
  [ -z "$sent" ] || printf 'sending\t%s\t%s\t%s\n' "$n" "${t:-now}" "$c"
done
for d in releases/.pruned-*; do
  [ -e "$d" ] || [ -h "$d" ] && printf 'pruned\t%s\n' "${d#releases/}"
done
case "$link" in
  releases/@ID@)
    for f in ".sitegen-deploy/${link#releases/}.sitegen-release.json" "$link.sitegen-release.json" \
             "$link/.sitegen-release.json"; do
      [ -f "$f" ] && { printf 'manifest\n'; cat -- "$f"; break; }
    done ;;
esac
exit 0
'''.replace("@ID@", _ID_GLOB)
# Transport.check. Like _LIST it prints sitegen-list first and whether the server has rsync: it
# may be the request that chooses between rsync and SFTP (command.open_transport). $2 is "write"
# to try a write in the target's folder, releases/ and .sitegen-deploy/ (of a missing target folder, in the nearest
# folder above it that is there: the deploy makes it), $3 how the folder made for that starts
# (``transport.WRITE_TEST``). mktemp's words are read here (the script runs in the C locale,
# as every command there: openssh.C_LOCALE).
_CHECK = _FACTS + r'''
echo sitegen-list
command -v rsync >/dev/null 2>&1 && echo rsync
write_test() {
  [ -d "$1" ] || return 0  # none yet, or no folder: said by facts
  made=$(mktemp -d -- "$1/$2XXXXXXXXXX" 2>&1) && { rmdir -- "$made" && return 0; exit 1; }
  case $made in *"No space left on device"*|*"Disk quota exceeded"*) return 0 ;; esac
  printf '%s: %s\n' "$1" "${made##*: }" >&2
  exit 1
}
if [ ! -d "$1" ]; then
  [ "$2" = write ] || exit 0
  up=$1
  while [ ! -d "$up" ]; do up=$(dirname -- "$up"); done
  write_test "$up" "$3"
  exit 0
fi
link=$(readlink "$1/current" 2>/dev/null) && printf 'current\t%s\n' "$link"
facts "$1"
[ "$2" = write ] || exit 0
write_test "$1" "$3"
write_test "$1/releases" "$3"
write_test "$1/.sitegen-deploy" "$3"
'''
# Transport.make_folder: the target's folder and its missing parents; "made" when it was missing.
_MAKE_FOLDER = '[ -d "$1" ] && exit 0; mkdir -p -m 755 -- "$1" && echo made'
# $3 is the live release, $4 the new release's sending mark (written before its folder is made),
# $5... the live release's top-level entries, largest first; standard input the
# paths to delete from the copy (plan.to_clear). Symbolic links (only ever put there by hand)
# are deleted from the copy first, so that no deletion and no upload follows one out of the
# release. Prints every file the copy holds, or "nolinks" when this cp cannot make hard links
# (nothing is made then).
#: What _COPY, and the claim in rsync's remote command, say when the release's sending mark cannot
#: be written (the shell's own words name no file, and cat's say why).
_MARK_UNWRITTEN = "sitegen: cannot write"
_COPY = _CHECK_ID + r'''
case "$3" in @ID@) ;; *) echo "bad release id" >&2; exit 3 ;; esac
cd -- "$1" || exit 1
# From the target's folder, so that cp and mkdir name what they cannot make as releases/<id>/...
new=releases/$2 live=releases/$3
[ -d .sitegen-deploy ] || mkdir -p -m 755 -- .sitegen-deploy || exit 1
mark=.sitegen-deploy/$2.sitegen-sending
if ! ( set -C; : > "$mark" ) 2>/dev/null; then  # the claim on the id: made only if no other deploy's is there
  [ -e "$mark" ] && { echo taken; exit 0; }
  ( set -C; : > "$mark" ) || exit 1
fi
printf '%s\n' "$4" | cat >| "$mark" || { echo "@UNWRITTEN@ '$mark'" >&2; exit 1; }
[ -d "$live" ] || { echo "$live: no such folder" >&2; exit 1; }
mkdir -m 755 -- "$new" || exit 1
probe=.sitegen-deploy/$3.sitegen-complete
[ -f "$probe" ] || probe=$live.sitegen-complete
[ -f "$probe" ] || probe=$live/.sitegen-complete
if ! cp -al -- "$probe" "$new/.sitegen-probe" 2>/dev/null; then rmdir -- "$new"; echo nolinks; exit 0; fi
rm -f -- "$new/.sitegen-probe"
shift 4
# A name gone from the live release (removed there by hand) is skipped: the listing sends it.
printf '%s\0' "$@" | xargs -0 -n 1 -P 2 sh -c '[ -e "$1/$2" ] || [ -h "$1/$2" ] || exit 0
  exec cp -al -- "$1/$2" "$0/"' "$new" "$live" || exit 1
cd -- "./$new" || exit 1  # ./: never a folder CDPATH names
find . -type l -exec rm -f -- {} + -o ! -type d -print0 || exit 1
xargs -0 rm -rf -- || exit 1'''.replace("@ID@", _ID_GLOB).replace("@UNWRITTEN@", _MARK_UNWRITTEN)
# After _COPY: $3 is the live release; each argument on standard input (NUL-separated) is
# "<name in the live release>//<path>" (no path holds "//"), a file whose bytes the live release
# holds under another name: hard-linked from there, in place of the old bytes a changed file
# has in the copy. Prints the paths that could not be linked.
_LINK = _CHECK_ID + r'''
case "$3" in @ID@) ;; *) echo "bad release id" >&2; exit 3 ;; esac
cd -- "$1/releases/$2" || exit 1
umask 022
xargs -0 sh -c 'for pair; do held=${pair%%//*}; path=${pair#*//}
  case "$path" in */*) mkdir -p -- "${path%/*}" || exit 1 ;; esac
  rm -f -- "$path"; ln -- "$0/$held" "$path" 2>/dev/null || printf "%s\0" "$path"
done' "../$3"'''.replace("@ID@", _ID_GLOB)
_CLEAR = _CHECK_ID + 'cd -- "$1/releases/$2" && xargs -0 rm -rf --'  # after _COPY: no links left
_MANIFEST = _CHECK_ID + r'''
cd -- "$1" 2>/dev/null || exit 0
for f in ".sitegen-deploy/$2.sitegen-release.json" "releases/$2.sitegen-release.json" \
         "releases/$2/.sitegen-release.json"; do
  [ -f "$f" ] && exec cat -- "$f"
done
exit 0
'''
# .sitegen-deploy/ made if missing, and the books an older sitegen left beside the release folders
# moved into it (releases/ then holds only releases), before the manifest and the mark are written;
# the release's sending mark goes after the mark.
_FINISH = _CHECK_ID + r'''
cd -- "$1" && [ -d "releases/$2" ] || exit 1
[ -d .sitegen-deploy ] || mkdir -m 755 .sitegen-deploy || exit 1
for f in releases/@ID@.sitegen-complete releases/@ID@.sitegen-complete.tmp \
         releases/@ID@.sitegen-release.json releases/@ID@.sitegen-release.json.tmp; do
  [ -f "$f" ] || [ -h "$f" ] || continue
  mv -f -- "$f" ".sitegen-deploy/${f#releases/}" || exit 1
done
cd .sitegen-deploy || exit 1
# $3: the record's length. A deploy stopped while sending it ends the input early, and cat
# ends well: a record cut short must not make the release complete.
cat > "$2.sitegen-release.json.tmp" && n=$(wc -c < "$2.sitegen-release.json.tmp") && [ $n -eq "$3" ] || {
  rm -f -- "$2.sitegen-release.json.tmp"; echo "sitegen: the release's record arrived cut short" >&2; exit 1; }
mv -f -- "$2.sitegen-release.json.tmp" "$2.sitegen-release.json" || exit 1
sync -f "../releases/$2" 2>/dev/null || sync
printf %s "$2" > "$2.sitegen-complete.tmp" && mv -f -- "$2.sitegen-complete.tmp" "$2.sitegen-complete" || exit 1
rm -f -- "$2.sitegen-sending"
'''.replace("@ID@", _ID_GLOB)
_SWITCH = _CHECK_ID + r'''
cd -- "$1" || exit 1
ln -sfn "releases/$2" "current.tmp-$2" || exit 1
mv -Tf "current.tmp-$2" current || { rm -f -- "current.tmp-$2"; exit 1; }
'''
# $3... are releases to set aside: each renamed to .pruned-<id> (a leftover of that name, which
# only a clock turned back could leave, is removed first), its mark removed before. The books in
# .sitegen-deploy/ (or an older sitegen's, beside the folders) of releases no longer there go
# next. Every .pruned-* folder in releases/, and nothing else, is then removed: for up to $2
# seconds right here (``sweep.NOW_SECONDS``: a
# release of a few thousand files is gone when the deploy ends), unless an earlier removal holds
# the lock; what is left, by one detached process, in a session of its own and at the lowest CPU
# and disk priority the server allows, holding a lock on releases/ so that two deploys' removals
# take turns instead of racing through the same tree; ssh returns without waiting for it.
_DISCARD = r'''
cd -- "$1/releases" 2>/dev/null || exit 0
books=$1/.sitegen-deploy
now=$2
shift 2
for r; do
  case "$r" in */*|.*|'') r= ;; @ID@) ;; *) r= ;; esac
  [ -n "$r" ] || { echo "bad release id" >&2; exit 3; }
  [ -d "$r" ] && [ ! -h "$r" ] || continue
  if [ -e ".pruned-$r" ] || [ -h ".pruned-$r" ]; then rm -rf -- ".pruned-$r" || exit 1; fi
  rm -f -- "$books/$r.sitegen-complete" "$r.sitegen-complete" || exit 1
  mv -T -- "$r" ".pruned-$r" || exit 1
done
for f in "$books"/@ID@.sitegen-complete "$books"/@ID@.sitegen-complete.tmp \
         "$books"/@ID@.sitegen-release.json "$books"/@ID@.sitegen-release.json.tmp \
         @ID@.sitegen-complete @ID@.sitegen-complete.tmp @ID@.sitegen-release.json @ID@.sitegen-release.json.tmp; do
  [ -f "$f" ] || [ -h "$f" ] || continue
  n=${f##*/}
  [ -d "${n%%.sitegen-*}" ] || rm -f -- "$f"
done
# a sending mark without its folder only once stale (find's -mtime +0: a day, layout.STALE_SECONDS):
# a deploy writes it just before its folder
for f in "$books"/@ID@.sitegen-sending "$books"/@ID@.sitegen-sending.tmp; do
  [ -f "$f" ] || [ -h "$f" ] || continue
  n=${f##*/}
  [ -d "${n%%.sitegen-*}" ] || [ -z "$(find "$f" -prune -mtime +0 2>/dev/null)" ] || rm -f -- "$f"
done
set -- .pruned-@ID@
[ -e "$1" ] || [ -h "$1" ] || exit 0
if command -v timeout >/dev/null 2>&1; then
  lock=
  command -v flock >/dev/null 2>&1 && lock="flock -n ."
  $lock timeout "$now" rm -rf -- "$@" 2>/dev/null
  set -- .pruned-@ID@
  [ -e "$1" ] || [ -h "$1" ] || exit 0
fi
run=
command -v setsid >/dev/null 2>&1 && run=setsid
command -v nice >/dev/null 2>&1 && run="$run nice -n 19"
ionice -c 3 -t true >/dev/null 2>&1 && run="$run ionice -c 3 -t"
command -v flock >/dev/null 2>&1 && run="$run flock ."
$run nohup sh -c 'while set -- .pruned-@ID@; [ -e "$1" ] || [ -h "$1" ]; do rm -rf -- "$@" || exit 1; done' \
  sitegen-prune </dev/null >/dev/null 2>&1 &
'''.replace("@ID@", _ID_GLOB)
# $3... are half-sent releases (never the one current points to: the command checks), each
# removed in full right here; then _DISCARD's work on the folders set aside, with no release to
# set aside. In place, not renamed to .pruned-<id>: the background removal takes those names
# only, so the two never walk the same tree and this takes no lock, never waiting behind an
# earlier deploy's removal of a large release. A removal cut short leaves part of a release with
# no mark, which the next deploy removes again.
_REMOVE_HALF_SENT = r'''
target=$1 now=$2
shift 2
[ -d "$target/releases" ] || exit 0
for r; do
  case "$r" in */*|.*|'') r= ;; @ID@) ;; *) r= ;; esac
  [ -n "$r" ] || { echo "bad release id" >&2; exit 3; }
  [ -d "$target/releases/$r" ] && [ ! -h "$target/releases/$r" ] || continue
  rm -rf -- "$target/releases/$r" || exit 1
  rm -f -- "$target/.sitegen-deploy/$r.sitegen-sending" || exit 1
done
set -- "$target" "$now"
'''.replace("@ID@", _ID_GLOB) + _DISCARD
_FREE = 'df -Pk -- "$1" 2>/dev/null | tail -n 1'
#: What rsync's remote command says when another deploy's sending mark claims the release id.
_TAKEN = "sitegen-release-id-taken"
#: rsync's exit codes for a failed write (file I/O error, partial transfer).
_IO_ERRORS = (11, 23)
#: How GNU cp and mkdir name what _COPY could not make for want of room, in the words of
#: ``cp: cannot create hard link 'releases/<id>/berita/index.html' to 'releases/<live>/berita/index.html':
#: No space left on device``, ``cp: cannot create directory 'releases/<id>/berita': ...`` and
#: ``mkdir: cannot create directory 'releases/<id>': ...``: the first name, quoted as a shell
#: quotes it (``quoted``). Not from the start of the line: the two cp at work write their words at
#: once, and one's "cp: " may land in the middle of the other's line.
_COPY_NO_ROOM = re.compile(rf"cannot create (?:hard link|directory) (?P<name>{quoted.QUOTED})"
                           r".*: (?:No space left on device|Disk quota exceeded)$", re.MULTILINE)


def copy_no_room(stderr: str, folder: str) -> str | None:
    """The path on the server of the first file or folder _COPY could not make for want of
    room, from its standard error (``folder``: where it ran, the target's), or None."""
    found = _COPY_NO_ROOM.search(stderr)
    if found is None:
        return mark_no_room(stderr, folder)
    return posixpath.normpath(posixpath.join(folder, quoted.unquote(found["name"])))


def mark_no_room(stderr: str, folder: str) -> str | None:
    """The path on the server of the release's sending mark, when the standard error of a
    script run in the target's ``folder`` says it could not be written for want of room."""
    found = re.search(rf"^{_MARK_UNWRITTEN} '(?P<name>[^'\n]+)'$", stderr, re.MULTILINE)
    if found is None or not any(reason in stderr for reason in quoted.NO_ROOM):
        return None
    return posixpath.join(folder, found["name"])


#: World-readable files and folders whatever the builder's umask: the web server must read them.
_MODES = ["--recursive", "--links", "--perms", "--chmod=D755,F644"]


class RsyncTransport:
    def __init__(self, label: str, ssh: OpenSSH) -> None:
        self.label, self.ssh = label, ssh
        self.path = ssh.endpoint.path
        self.remote_rsync = True
        self._manifests: dict[str, bytes] = {}  # the live release's, read with the listing
        self._listed: Releases | None = None  # the listing the transport choice made, until a change

    def check(self, write: bool) -> None:
        out = self.ssh.run(_CHECK, self.path, "write" if write else "read", WRITE_TEST,
                           doing=_("checking the target folder"), marker=b"sitegen-list")
        said = out.decode("utf-8", "replace").splitlines()
        self.remote_rsync = "rsync" in said
        what = _in_the_way(self.path, said)
        if what:
            raise failed(self.label, *blocked(self.path, what))

    def pause(self) -> None:
        """Nothing: ssh keeps the shared connection alive while idle (ServerAliveInterval), ends
        it a minute after the last command (ControlPersist), and the next command opens a new one
        by itself (ControlMaster=auto). After a short build the check's connection serves on,
        after a long one ssh reconnects. One that died unseen during the build (a router or a VPN
        that forgot it, a server that restarted), or whose ssh process ended, is found dead by the
        next command before the server opened a session for it (nothing of the command was sent,
        its standard input included), and that command goes on over a new connection that ssh
        opens itself. One that froze is found out by ``resume``. sitegen retries nothing: a
        command the server may have run is never sent twice."""

    def resume(self) -> None:
        self.ssh.refresh()

    def releases(self) -> Releases:
        if self._listed is not None:
            return self._listed
        listing, found, manifest = self.ssh.run(_LIST, self.path, doing=_("reading the releases"),
                                                marker=b"sitegen-list").partition(b"\nmanifest\n")
        complete: list[str] = []
        incomplete: list[str] = []
        pruned: list[str] = []
        sending: dict[str, layout.SendingMark] = {}
        link, since, missing = None, None, False
        self.remote_rsync = False
        lines = listing.decode("utf-8", "replace").splitlines()
        for line in lines:
            fields = line.split("\t")
            if fields[0] == "rsync":
                self.remote_rsync = True
            elif fields[0] == "missing":
                missing = True
            elif fields[0] == "current" and len(fields) == 2:
                link = fields[1]
            elif fields[0] == "release" and len(fields) == 3 and layout.is_release_id(fields[1]):
                (complete if fields[2] == fields[1] else incomplete).append(fields[1])
            elif fields[0] == "pruned" and len(fields) == 2 and layout.is_pruned_name(fields[1]):
                pruned.append(fields[1])
            elif fields[0] == "sending" and len(fields) >= 3 and layout.is_release_id(fields[1]) \
                    and (fields[2].isdigit() or fields[2] == "now"):
                written = float(fields[2]) if fields[2] != "now" else time.time()
                sending[fields[1]] = layout.SendingMark("\t".join(fields[3:]).encode(), written)
            elif fields[0] == "since" and len(fields) == 2 and fields[1].isdigit():
                since = float(fields[1])
        live = layout.release_of(link)
        if live in complete and found:
            self._manifests[live] = manifest
        self._listed = Releases(tuple(sorted(complete)), tuple(sorted(incomplete)), live if live in complete else None,
                                tuple(sorted(pruned)), since, _in_the_way(self.path, lines), live, missing,
                                {name: mark for name, mark in sending.items() if name in incomplete})
        return self._listed

    def make_folder(self) -> bool:
        self._listed = None
        made = self.ssh.run(_MAKE_FOLDER, self.path, doing=_("making the target folder"))
        return made.strip() == b"made"

    def read_manifest(self, release: str) -> bytes | None:
        if release in self._manifests:
            return self._manifests[release]
        return self.ssh.run(_MANIFEST, self.path, release, doing=_("reading the live release's manifest")) or None

    def upload(self, release: str, base: str | None, plan: Plan, snapshot: Snapshot, on_sent: OnSent,
               sending: bytes) -> Sent:
        self._listed = None
        mark = sending.decode("utf-8").rstrip("\n")
        link_dest = [f"--link-dest={self.path}/{layout.RELEASES}/{base}"] if base else []
        to_send = plan.to_send
        linked = 0
        with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as work:
            if base and plan.unchanged:
                missing = self._copy(release, base, plan, snapshot, mark)
                if missing is None:
                    self._rsync(Path(work) / "unchanged", plan.unchanged, snapshot.root, release, mark,
                                [*link_dest, "--size-only"], _("linking unchanged files"), None)  # no --times: a
                    # file rewritten with the same bytes has a new time, and rsync links only files whose
                    # preserved attributes all match
                    missing = []
                else:
                    link_dest = []  # the copy holds the basis of each changed file
                # rsync links by name only: bytes the live release holds under another name, here
                unlinked = self._link(release, base, plan.same_as)
                to_send = tuple(sorted((*plan.to_upload, *unlinked, *missing)))
                linked = len(plan.unchanged) - len(missing) + len(plan.same_as) - len(unlinked)
            sent = self._rsync(Path(work) / "send", to_send, snapshot.root, release, mark,
                               [*link_dest, "--times", "--ignore-times", "--out-format=%l %n"], _("uploading"), on_sent,
                               claim=not (base and plan.unchanged))  # else _copy claimed it
        return Sent(sent[0], sent[1], linked)

    def _copy(self, release: str, base: str, plan: Plan, snapshot: Snapshot, mark: str) -> list[str] | None:
        """Make the release a copy of ``base`` made of hard links, holding exactly the files
        of the new release that ``base`` has: the unchanged files it lacks (returned, to be
        sent). None when the server's cp cannot make hard links."""
        sizes = Counter(path.partition("/")[0] for path in (*plan.unchanged, *plan.changed))
        tops = sorted(sizes, key=lambda name: (-sizes[name], name))  # the largest first: two cp share the work
        clear = to_clear(snapshot.files, plan.removed)
        listing = self.ssh.run(_COPY, self.path, release, base, mark, *tops, stdin=_nul_list(clear),
                               doing=_("linking unchanged files"),
                               unwritten=lambda said: copy_no_room(said, self.path))
        if listing.strip() == b"taken":
            raise Taken(release)
        if listing.strip() == b"nolinks":
            return None
        cleared = tuple(f"{root}/" for root in clear)
        held = {path[2:] for path in listing.decode("utf-8", "surrogateescape").split("\0") if path.startswith("./")}
        extra = [path for path in held if path not in snapshot.files and path not in clear
                 and not path.startswith(cleared)]
        if extra:  # in the live release without being in its manifest: put there by hand
            self.ssh.run(_CLEAR, self.path, release, stdin=_nul_list(to_clear(snapshot.files, extra)),
                         doing=_("linking unchanged files"))
        return [path for path in plan.unchanged if path not in held]

    def _link(self, release: str, base: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """Hard-link each (path, its name in ``base``) into the release made by ``_copy``; the
        paths that could not be linked (gone from ``base`` by hand, a server refusing), to be sent."""
        if not pairs:
            return []
        listed = _nul_list([f"{held}//{path}" for path, held in pairs])
        unlinked = self.ssh.run(_LINK, self.path, release, base, stdin=listed, doing=_("linking unchanged files"))
        return [path for path in unlinked.decode("utf-8", "surrogateescape").split("\0") if path]

    def _rsync(self, list_file: Path, paths: Sequence[str], root: Path, release: str, mark: str,
               extra: list[str], doing: str, on_sent: OnSent | None, claim: bool = False) -> tuple[int, int]:
        """Send ``paths`` from ``root`` into ``releases/<release>/`` on the server: (files, bytes).
        When this is the release's first step (``claim``; else ``_copy`` or an earlier call was),
        its sending ``mark`` is written first, made only where none is (``Taken``)."""
        assert layout.is_release_id(release), release  # it reaches the server's shell
        if not paths:
            return 0, 0
        # rsync skips --files-from lines that begin with '#' or ';' (comments), NUL-separated
        # too: './' in front keeps a top-level file of such a name in the list.
        list_file.write_bytes(_nul_list([f"./{path}" for path in paths]))
        # The release folder is made by the remote side's command line, saving one round trip;
        # releases/ too, but not the target's own folder: make_folder made it, saying so. The
        # sending mark goes first, in .sitegen-deploy/ (made if missing, as finish does).
        endpoint = self.ssh.endpoint
        name = endpoint.alias or endpoint.host  # ssh's own name for it: its Host settings apply
        host = f"[{name}]" if ":" in name else name  # rsync's IPv6 form
        login = f"{endpoint.user}@{host}" if endpoint.user else host
        folder = f"{layout.RELEASES}/{release}"
        sending = f"{layout.BOOKKEEPING}/{layout.sending_name(release)}"
        claimed = (f"&& {C_LOCALE} mkdir -p -m 755 -- {layout.BOOKKEEPING} "
                   f"&& {{ ( set -C; : > {sending} ) 2>/dev/null || {{ [ ! -e {sending} ] || echo {_TAKEN} >&2; "
                   f"exit 1; }}; }} && {{ printf '%s\\n' {_sh_quote(mark)} | {C_LOCALE} cat >| {sending} "
                   f"|| {{ echo \"{_MARK_UNWRITTEN} '{sending}'\" >&2; exit 1; }}; }} " if claim else "")
        command = ["rsync", *_MODES, "--from0", f"--files-from={list_file}", *extra,
                   "-e", " ".join(_sh_quote(a) for a in self.ssh.ssh_command()),
                   f"--rsync-path=umask 022 && cd -- {_sh_quote(self.path)} {claimed}"
                   f"&& {C_LOCALE} mkdir -p -- {folder} && {C_LOCALE} rsync",
                   f"{root}/", f"{login}:{self.path}/{folder}/"]
        files = size = 0
        with tempfile.TemporaryFile() as errors:
            try:
                proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL,
                                        preexec_fn=_ends_with_this_process())
            except OSError as exc:
                raise failed(self.label, _("could not run rsync: {reason}").format(reason=exc.strerror or exc),
                             _("install rsync, or remove it from PATH to deploy over SFTP")) from None
            assert proc.stdout is not None
            try:
                for raw in proc.stdout:
                    length, _sep, name = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
                    if not name or name.endswith("/") or not length.isdigit():
                        continue
                    files, size = files + 1, size + int(length)
                    if on_sent is not None:
                        on_sent(files, size)
            except BaseException:  # stopped (Ctrl-C, SIGTERM): rsync stops too, not sending on alone
                proc.kill()
                proc.wait()
                raise
            code = proc.wait()
            if code != 0:
                errors.seek(0)
                stderr = errors.read().decode("utf-8", "replace")
                if claim and _TAKEN in stderr:
                    raise Taken(release)
                unwritten_mark = mark_no_room(stderr, self.path) if claim else None
                if unwritten_mark is not None:
                    raise disk_full(self.label, doing, unwritten_mark)
                self._unwritten(stderr, folder, paths, doing)
                if code in _IO_ERRORS and "No space left" not in stderr and self._disk_full():
                    stderr += "\nNo space left on device"  # the receiver died before it could say so
                raise self.ssh.problem(code, stderr, doing)
        return files, size

    def _unwritten(self, stderr: str, folder: str, paths: Sequence[str], doing: str) -> None:
        """Raise the failure of the first file or folder rsync's ``stderr`` says it could not write
        in the release's ``folder``, if it names one: of a full disk, by its path on the server
        (as SFTP and file:// name it), or of a refused write, from the target's folder."""
        # The most telling line: rsync's summary comes last, and it goes on past what it could
        # not write. Another tool's (the server's mkdir of the release) is ssh.problem's to read.
        found = quoted.rsync_named(telling(stderr), {f"{self.path}/{folder}/{path}" for path in paths})
        if found is None:
            return
        if found.reason in quoted.NO_ROOM:
            raise disk_full(self.label, doing, found.path)
        raise self.ssh.denied(doing, f"{found.path.removeprefix(f'{self.path}/')}: {found.reason}")

    def _disk_full(self) -> bool:
        """Whether the target's file system has (next to) no room left, after rsync failed to write."""
        try:
            out = self.ssh.run(_FREE, self.path, doing=_("checking the free space")).decode("ascii", "replace")
        except (DeployFailed, DeployRefused):
            return False
        fields = out.splitlines()[-1].split() if out.strip() else []
        return len(fields) >= 4 and fields[3].isdigit() and int(fields[3]) < FULL_BELOW_KB

    def finish(self, release: str, manifest: bytes) -> None:
        self._listed = None
        self.ssh.run(_FINISH, self.path, release, str(len(manifest)), stdin=manifest, doing=_("finishing the release"))

    def switch(self, release: str) -> None:
        self._listed = None
        self.ssh.run(_SWITCH, self.path, release, doing=_("switching current"))

    def discard(self, releases: Sequence[str]) -> None:
        self._listed = None
        for release in releases:
            assert layout.is_release_id(release), release
        self.ssh.run(_DISCARD, self.path, str(sweep.NOW_SECONDS), *releases, doing=_("removing old releases"))

    def remove_half_sent(self, releases: Sequence[str]) -> None:
        self._listed = None
        for release in releases:
            assert layout.is_release_id(release), release
        self.ssh.run(_REMOVE_HALF_SENT, self.path, str(sweep.NOW_SECONDS), *releases,
                     doing=_("removing half-sent releases"))

    def close(self) -> None:
        self.ssh.close()


def _nul_list(paths: Sequence[str]) -> bytes:
    return b"".join(os.fsencode(path) + b"\0" for path in paths)


def _sh_quote(arg: str) -> str:
    """rsync splits ``-e`` on spaces and honours quotes, like a shell."""
    return shlex.quote(arg)


def _in_the_way(folder: str, lines: list[str]) -> str:
    """``layout.in_the_way`` of what a script's ``facts`` (and its ``current`` line) printed."""
    link = next((line.split("\t", 1)[1] for line in lines if line.startswith("current\t")), None)
    not_folders = [line.split("\t", 1)[1] for line in lines if line.startswith("notfolder\t")]
    return layout.in_the_way(folder, link, "there" in lines, "leads" in lines, not_folders)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _ends_with_this_process() -> Callable[[], None] | None:
    """For rsync's process, on Linux: a SIGTERM when sitegen's process ends, however it ends. A
    deploy killed outright (``kill -9``, the out-of-memory killer) left rsync and its ssh sending
    on alone, and the next deploy could not remove the release they were still filling."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def in_the_child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # ended before the line above: no signal comes; rsync never starts
            raise ChildProcessError("sitegen ended before rsync started")

    return in_the_child
