"""Files copied as they are: the theme's static/ first, then the site's static/ over it.

Except raster images (JPEG, PNG, WebP, TIFF, AVIF): every one is published without its
metadata (EXIF with the GPS position, XMP, comments), by ``clean`` when one is given
(sitegen.images.store.PhotoFiles.clean_file), so no photo put in static/ leaks where it
was taken, whether a release names it or not.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from functools import partial
from pathlib import Path
from typing import NoReturn

from sitegen import oserrors, urls
from sitegen.errors import Diagnostic, Report, SiteError, shown_path
from sitegen.generations import RESERVED
from sitegen.images.probe import cleaned_when_published
from sitegen.messages import _
from sitegen.outputs import Output, fingerprint

#: Part of a cleaned file's fingerprint: bump when cleaning changes.
CLEANED = "cleaned-1"


def static_outputs(folders: list[Path], clean: Callable[[Path], bytes] | None = None,
                   site_dir: Path | None = None, held: AbstractSet[str] = frozenset(),
                   report: Report | None = None) -> Iterator[Output]:
    """``held``: paths under static/ not to publish yet (build.held_back). ``report``: where a
    link that is not published is said (a build's, a check's; the desk's preview needs none),
    and a link that cannot be followed (an error: the caller stops once the walk is done, so
    every such link is named, and every warning of the folder with them)."""
    chosen: dict[str, Path] = {}
    said = report if report is not None else Report()
    for folder in folders:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for dirpath, dirnames, filenames in os.walk(folder, onerror=partial(_unreadable, site_dir=site_dir)):
            # Hidden names stay private (.git, an editor's litter), but for .well-known/, whose
            # files (security.txt, a domain check) the web expects at that very address.
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") or d == WELL_KNOWN)
            for name in dirnames:
                if os.path.islink(os.path.join(dirpath, name)):  # os.walk does not follow it
                    said.warning(shown_path(Path(dirpath) / name, site_dir), None,
                                 _("this folder is a link and is not published"),
                                 _("copy its files into static/ instead of linking to them"))
            for name in filenames:
                # A hidden name stays private, but for one of sitegen's own at the top (the
                # marker): published, it is a clash said at its file (sitegen.clashes).
                if not name.startswith(".") or (dirpath == str(folder) and name in RESERVED):
                    path = Path(dirpath) / name
                    if not urls.is_utf8(name):  # bytes of another encoding: no address can reach the file
                        said.warning(urls.readable(shown_path(path, site_dir)), None,
                                     _("the file name is not UTF-8 text, which addresses need"),
                                     _("rename the file with letters, digits and dashes, like laporan-2024.pdf"))
                    elif _published(path, root, site_dir, said):
                        chosen[path.relative_to(folder).as_posix()] = path
    if report is None:  # nobody to hold a link loop's error, which must stop the build
        said.raise_if_errors()
    for rel, path in sorted(chosen.items()):
        if rel in held:
            continue
        stat = path.stat()
        if clean is not None and cleaned_when_published(rel, path):
            yield Output(rel, fingerprint(str(path), stat.st_size, stat.st_mtime_ns, CLEANED),
                         partial(clean, path), kind="static", source=shown_path(path, site_dir))
            continue
        yield Output(rel, fingerprint(str(path), stat.st_size, stat.st_mtime_ns),
                     path.read_bytes, kind="static", source=shown_path(path, site_dir))


def _unreadable(exc: OSError, site_dir: Path | None) -> NoReturn:
    """A folder of static/ that cannot be listed stops the build, as one of content/ does: its
    files would silently leave the published site."""
    shown = shown_path(Path(os.fsdecode(exc.filename)), site_dir) if exc.filename is not None else "static"
    raise SiteError([Diagnostic(shown, None, _("this folder cannot be read ({reason})").format(
        reason=oserrors.words(exc, lower=False)), hint=_("give the folder read permission, or move its files out"))])


def _published(path: Path, root: Path, site_dir: Path | None, report: Report) -> bool:
    """Whether the file at ``path`` is published: a regular file, or a link to one inside
    ``root``, the static/ folder. A link that leads out of it is never followed: it could
    carry any file of the computer onto the web."""
    try:
        inside = path.resolve().is_relative_to(root)
    except (OSError, RuntimeError) as exc:  # a link loop (RuntimeError before Python 3.13)
        why = oserrors.words(exc) if isinstance(exc, OSError) and exc.strerror else _("it leads back to itself")
        report.error(shown_path(path, site_dir), None, _("this link cannot be followed: {reason}").format(
            reason=why.lower()), _("delete the link, or replace it with the file itself"))
        return False
    if not inside:  # only a link leads out: the folders walked are static/'s own
        report.warning(shown_path(path, site_dir), None, _("this link leads out of static/ and is not published"),
                       _("copy the file into static/ instead of linking to it"))
        return False
    if path.is_file():
        return True
    # Not a regular file: reading a named pipe or a device would never end.
    if path.is_symlink() and not path.exists():
        report.warning(shown_path(path, site_dir), None, _("this link leads to no file and is not published"),
                       _("delete the link, or replace it with the file itself"))
    return False


#: The one hidden folder of static/ that is published (RFC 8615).
WELL_KNOWN = ".well-known"
