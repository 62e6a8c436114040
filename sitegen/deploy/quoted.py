"""File names as GNU cp and rsync write them in their errors, back to the names themselves.

cp quotes a name as a shell would read it back (quotearg's shell-escape style), and in the C
locale, where every command on the server runs (``openssh.C_LOCALE``), each byte outside
printable ASCII is an escape: ``café.jpg`` is ``'caf'$'\\303\\251''.jpg'``, ``Laporan Kegiatan –
Dinas.pdf`` is ``'Laporan Kegiatan '$'\\342\\200\\223'' Dinas.pdf'``. A name with an apostrophe
and nothing else to escape comes in double quotes (``"it's.html"``), one with both in pieces
(``'it'\\''s "x"'``). A message must show the name as the newsroom wrote it.

rsync writes each byte it cannot print as ``\\#ooo`` (``caf\\#303\\#251.jpg``; a backslash
followed by ``#`` and three digits as ``\\#134``), even with ``--8-bit-output``: its receiver,
on the server, words the message.

GNU mkdir quotes otherwise (C escapes inside single quotes: ``'caf\\303\\251'``); sitegen's
scripts only ever have it make a release's folder, whose name no quoting changes. So does find,
which names only a folder of the live release it cannot read (one put there by hand).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from typing import NamedTuple

#: One name as cp quotes it: pieces in single quotes, double quotes or ``$'...'``, and
#: backslashed characters (``\\'``), with nothing between them.
QUOTED = r"""(?:'[^'\n]*'|"[^"\n]*"|\$'(?:[^'\\\n]|\\[^\n])*'|\\[^\n])+"""

_PIECE = re.compile(r"""'([^']*)'|"([^"]*)"|\$'((?:[^'\\]|\\.)*)'|\\(.)""", re.DOTALL)
_ESCAPED = re.compile(r"\\([0-7]{1,3})|\\(.)|([^\\]+)", re.DOTALL)  # inside $'...'
_LETTERS = {"a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def unquote(word: str) -> str:
    """The name a ``QUOTED`` word stands for. Escaped bytes are read as UTF-8; a name that
    is not UTF-8 gets U+FFFD for each byte that does not fit: the message is for a person."""
    name = bytearray()
    for piece in _PIECE.finditer(word):
        single, double, escaped, char = piece.groups()
        if escaped is None:
            name += (single or double or char or "").encode()
            continue
        for octal, letter, plain in _ESCAPED.findall(escaped):
            if octal:
                name.append(int(octal, 8) & 0xFF)
            else:
                name += (_LETTERS.get(letter, letter) + plain).encode()
    return name.decode("utf-8", "replace")


_RSYNC_ESCAPE = re.compile(rb"\\#([0-7]{3})")


def unescape_rsync(name: str) -> str:
    """The name rsync wrote with ``\\#ooo`` escapes; UTF-8, as ``unquote`` reads it."""
    raw = _RSYNC_ESCAPE.sub(lambda found: bytes([int(found[1], 8) & 0xFF]), name.encode())
    return raw.decode("utf-8", "replace")


#: A write the server refused, and one it had no room for, in the words of the C locale.
DENIED = ("Permission denied", "Operation not permitted", "Read-only file system")
NO_ROOM = ("No space left on device", "Disk quota exceeded")

#: How rsync names what it could not write or make, the first quoted path on its line: ``rsync:
#: [receiver] write failed on "/var/www/humas/releases/<id>/laporan.pdf": No space left on device
#: (28)``; also "close failed on", ``mkstemp "<path>" failed``, ``recv_generator: mkdir "<path>"
#: failed``, ``failed to set permissions on "<path>"`` and ``rename "<path>" -> "<name>"``. Its
#: bytes outside printable ASCII are escapes (``unescape_rsync``), but a '"' in the name is written
#: as it is: the name ends at the first '"' after which the line goes on to the error with no
#: other '"' (but for rename's). mkstemp, close and rename name the temporary file a file is
#: written into first (``_TEMPORARY``).
_RSYNC_NAMED = re.compile(r'(?P<temporary>mkstemp |close failed on |rename )?"(?P<path>[^\n]+?)"(?: -> "[^\n]*")?'
                          rf'[^"\n]*: (?P<reason>{"|".join((*DENIED, *NO_ROOM))}) \(\d+\)$', re.MULTILINE)
#: rsync's temporary file beside the file it becomes: "." + its name (without a "." it starts
#: with) + "." + mkstemp's 6 random letters and digits; a name too long for that (255 bytes) cut
#: to 246 bytes or a few less (not in the middle of a UTF-8 character).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9]{6}", re.DOTALL)
_CUT_SHORT = 240


class Named(NamedTuple):
    path: str
    reason: str


def rsync_named(said: str, sent: Collection[str] = ()) -> Named | None:
    """The file or folder the first of rsync's lines in ``said`` that names one could not write,
    and why; for its temporary file, the file it stands for: of the names it may be, the one in
    ``sent`` (the files sent, named as rsync names them), or the likelier."""
    found = _RSYNC_NAMED.search(said)
    if found is None:
        return None
    path = unescape_rsync(found["path"])
    if found["temporary"]:
        path = _real_name(path, sent)
    return Named(path, found["reason"])


def _real_name(path: str, sent: Collection[str]) -> str:
    folder, _slash, name = path.rpartition("/")
    temporary = _TEMPORARY.fullmatch(name)
    if temporary is None:
        return path
    plain = posixpath.join(folder, temporary["name"])
    dotted = posixpath.join(folder, "." + temporary["name"])
    found = next((candidate for candidate in (plain, dotted) if candidate in sent), None)
    if found is None and len(temporary["name"].encode()) >= _CUT_SHORT:
        longer = [other for other in sent if other.startswith((plain, dotted)) and posixpath.dirname(other) == folder]
        found = longer[0] if len(longer) == 1 else None
    return found or plain


#: The tools in sitegen's scripts on the server that quote a name as cp does; mkdir and find quote
#: otherwise (C escapes in single quotes), dash not at all: their words are left as they are.
_QUOTING_AS_CP = re.compile(r"(?:cp|mv|ln|rm|cat): ")
_WORD = re.compile(QUOTED)


def readable(line: str) -> str:
    """A line of a tool's error, as a message quotes it: each name in it as the newsroom wrote
    it, read back from cp's (mv's, ln's, rm's, cat's) quoting or rsync's escapes. A name that
    would not print on one line (a tab, a newline) stays as the tool wrote it."""
    if line.startswith("rsync"):
        read = unescape_rsync(line)
        return read if read.isprintable() else line
    if not _QUOTING_AS_CP.match(line):
        return line
    return _WORD.sub(_requoted, line)


def _requoted(word: re.Match[str]) -> str:
    """The name in single quotes, or in double quotes where it holds an apostrophe (as cp does)."""
    name = unquote(word[0])
    if not name.isprintable():
        return word[0]
    return f'"{name}"' if "'" in name and '"' not in name else f"'{name}'"
