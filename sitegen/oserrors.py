"""An error from the operating system (a full disk, a folder that is a file, a link loop) in
the words of every other problem: ``path: error: what happened (what to do)``.

The command line turns any OSError that reaches it into one of these, so a person sees the
file and a way out instead of a Python traceback; watch and serve do the same per rebuild.
"""

from __future__ import annotations

import errno
import os

from sitegen.errors import Diagnostic
from sitegen.messages import N_, _, current_language

_SPACE = N_("free some disk space, then run the command again")
_ACCESS = N_("check who may read and write this path (ls -l), or run sitegen as that user")
_HINTS: dict[int, str] = {
    errno.ENOSPC: _SPACE,
    errno.EDQUOT: _SPACE,
    errno.EFBIG: _SPACE,
    errno.EACCES: _ACCESS,
    errno.EPERM: _ACCESS,
    errno.EROFS: N_("this disk can only be read: choose a folder on a disk that can be written"),
    errno.ENOENT: N_("check the spelling of the path, and that the file or folder still exists"),
    errno.ENOTDIR: N_("a file stands where a folder is needed: move the file away or choose another path"),
    errno.EISDIR: N_("a folder stands where a file is needed: move the folder away or choose another path"),
    errno.ELOOP: N_("a symbolic link here points back to itself: delete it, or point it at a real file"),
    errno.ENAMETOOLONG: N_("use a shorter file or folder name"),
    errno.EMFILE: N_("too many files are open at once: raise the limit (ulimit -n) or use a lower --jobs"),
    errno.ENFILE: N_("too many files are open at once: raise the limit (ulimit -n) or use a lower --jobs"),
    errno.ENOMEM: N_("the machine ran out of memory: close other programs or use a lower --jobs"),
    errno.EIO: N_("the disk reported a read or write error: check the disk, then run the command again"),
    errno.EBUSY: N_("another program is using this path: close it, then run the command again"),
    errno.EXDEV: N_("keep the output folder and the site folder on the same disk"),
}
_DEFAULT_HINT = N_("fix the problem with this path, then run the command again")
#: The system's words for the usual errors, as glibc says them (so English reads as before),
#: to be said in the UI language: the system speaks English whatever sitegen speaks.
WORDS: dict[int, str] = {
    errno.ENOSPC: N_("no space left on device"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EFBIG: N_("file too large"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EROFS: N_("read-only file system"),
    errno.ENOENT: N_("no such file or directory"),
    errno.ENOTDIR: N_("not a directory"),
    errno.EISDIR: N_("is a directory"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.EMFILE: N_("too many open files"),
    errno.ENFILE: N_("too many open files in system"),
    errno.ENOMEM: N_("cannot allocate memory"),
    errno.EIO: N_("input/output error"),
    errno.EBUSY: N_("device or resource busy"),
    errno.EXDEV: N_("invalid cross-device link"),
    errno.ECONNREFUSED: N_("connection refused"),
    errno.ETIMEDOUT: N_("connection timed out"),
    errno.EHOSTUNREACH: N_("no route to host"),
    errno.ENETUNREACH: N_("network is unreachable"),
    errno.ECONNRESET: N_("connection reset by peer"),
}


def words(exc: OSError, lower: bool = True) -> str:
    """What the system says of ``exc``: in the UI language where they are its usual words;
    in English the system's own (``lower``: from a small letter, to follow a colon)."""
    if exc.errno in WORDS and exc.strerror == os.strerror(exc.errno) and current_language() != "en":
        return _(WORDS[exc.errno])
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:] if lower else text


def describe(exc: OSError, path: str | os.PathLike[str] | None = None) -> Diagnostic:
    """``exc`` as a diagnostic: the path it names (or ``path``), the system's own words for
    the errno, and a hint for the usual ways out."""
    where = path if path is not None else exc.filename
    shown = os.fsdecode(where) if isinstance(where, str | bytes | os.PathLike) else "sitegen"
    message = words(exc)
    if exc.filename2 is not None and path is None:
        message += " " + _("(and {path})").format(path=os.fsdecode(exc.filename2))
    hint = _(_HINTS.get(exc.errno, _DEFAULT_HINT) if exc.errno is not None else _DEFAULT_HINT)
    if "inotify" in (exc.strerror or str(exc)):  # watchdog's ENOSPC: too many folders watched, not a full disk
        hint = _("raise the limit, e.g. sudo sysctl fs.inotify.max_user_watches=524288, or watch fewer folders")
    return Diagnostic(shown, None, message, hint=hint)


_LOOP = "Symlink loop from "


def link_loop(exc: BaseException) -> OSError | None:
    """Python 3.11's ``Path.resolve()`` reports a link loop as a RuntimeError ("Symlink loop
    from '...'"); later versions raise OSError(ELOOP). The same error either way, or None when
    ``exc`` is something else."""
    text = str(exc)
    if not isinstance(exc, RuntimeError) or not text.startswith(_LOOP):
        return None
    return OSError(errno.ELOOP, os.strerror(errno.ELOOP), text[len(_LOOP):].strip("'\""))
