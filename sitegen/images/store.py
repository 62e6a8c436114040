"""The derivative cache (.sitegen-cache/images/) and the build stage that fills it.

A photo's versions live in one folder named by the set key (the file's content, the image
settings and the encoders), made whole or not at all; a photo whose folder exists is never
made again. Metadata-free copies of files in static/ live in ``clean/``, by content.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import oserrors
from sitegen.cachefiles import sealed, unsealed
from sitegen.errors import Diagnostic
from sitegen.images.clean import looks_clean
from sitegen.images.derive import SUMS, SetJob, clean_bytes, digest, make_set
from sitegen.images.photo import Photo
from sitegen.images.plan import FULL, encoders, file_name, formats, targets
from sitegen.images.probe import PhotoProblem, Probe
from sitegen.images.settings import ImageSettings
from sitegen.messages import _
from sitegen.parallel import fork_pool

FOLDER = "images"
CLEAN_VERSION = "2"  # 2: each copy ends with its digest


@dataclass(slots=True)
class Derived:
    """What the derive stage did: photo sets made and found made, and the problems."""

    made: int = 0
    reused: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


class PhotoFiles:
    """Where each derivative is kept, and its bytes for the outputs."""

    def __init__(self, root: Path, site_dir: Path, settings: ImageSettings, writable: bool = True) -> None:
        self.root = root
        self.site_dir = site_dir
        self.settings = settings
        #: False for ``sitegen check``, which writes nothing, not even to the cache
        self.writable = writable

    @classmethod
    def default(cls, config: object) -> PhotoFiles:
        """For a Renderer made without a site folder (tests of templates): the current folder's cache."""
        from sitegen.images.settings import image_settings

        site = Path(".")
        return cls(site / ".sitegen-cache" / FOLDER, site, image_settings(config))

    def set_folder(self, key: str) -> Path:
        return self.root / "sets" / key[:2] / key

    def clean_key(self, digest: str) -> str:
        text = "\x1f".join((digest, CLEAN_VERSION, str(self.settings.full_quality), encoders()))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def clean_path(self, digest: str) -> Path:
        key = self.clean_key(digest)
        return self.root / "clean" / key[:2] / key

    def read(self, photo: Photo, name: str) -> bytes:
        """A derivative's bytes; its set made again should the cache have lost or damaged it
        since it was made (the README: a damaged cache only makes a build slower)."""
        folder = self.set_folder(photo.key)
        for _attempt in range(2):  # a second time: another process was making it anew meanwhile
            data = _intact(folder, name)
            if data is not None:
                return data
            aside = folder.with_name(f".damaged-{os.getpid()}-{folder.name}")
            try:
                os.rename(folder, aside)  # at once, so that no other process reads it half removed
            except OSError:
                pass  # gone already: lost, or set aside by another process
            shutil.rmtree(aside, ignore_errors=True)
            make_set(self.job(photo, with_clean=False))
        return (folder / name).read_bytes()

    def size(self, photo: Photo, name: str) -> int:
        """A derivative's size in bytes (for feed enclosures); 0 when it is not made yet
        (``sitegen check`` renders feeds without making photos). One lost from a set made
        before is made again (``read``), as its page would have it, not said to be 0 bytes."""
        folder = self.set_folder(photo.key)
        try:
            return os.stat(folder / name).st_size
        except OSError:
            return len(self.read(photo, name)) if folder.is_dir() else 0

    def clean_file(self, path: Path) -> bytes:
        """A picture from static/ (a raster file or an SVG) as it is published: metadata-free,
        cached by content."""
        data = path.read_bytes()
        cached = self.clean_path(hashlib.blake2b(data, digest_size=16).hexdigest())
        try:
            kept = unsealed(cached.read_bytes())
        except OSError:  # lost, or unreadable: made again (and replaced, where it may be)
            kept = None
        if kept is not None:
            return kept
        try:
            clean = clean_bytes(data, self.settings.full_quality, self.settings.max_pixels,
                                svg=path.suffix.lower() == ".svg")
        except PhotoProblem as exc:
            # Not an image Pillow reads (a placeholder, say): it shows nothing in a browser
            # and is published as it is, unless it carries what looks like metadata.
            if looks_clean(data):
                return data
            rel = _rel(path, self.site_dir)
            message = _("{problem}; it may hold where it was taken (EXIF), so it is not published").format(
                problem=exc.message)
            raise PhotoFileError(Diagnostic(rel, None, message, hint=exc.hint)) from None
        if not self.writable:
            return clean
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_name(f".new-{os.getpid()}-{cached.name}")
            temporary.write_bytes(sealed(clean))
            os.replace(temporary, cached)
        except OSError:
            pass  # a read-only cache: made again next time
        return clean

    def job(self, photo: Photo, with_clean: bool) -> SetJob:
        s = self.settings
        clean = str(self.clean_path(photo.digest)) if with_clean and not photo.converted else None
        return SetJob(source=str(self.site_dir / photo.file), folder=str(self.set_folder(photo.key)),
                      targets=targets(_probe_of(photo), s),
                      qualities=tuple((f, int(getattr(s.quality, f))) for f in formats(s)), full_quality=s.full_quality,
                      max_pixels=s.max_pixels, full=photo.converted,
                      clean_path=clean)

    def names(self, photo: Photo) -> Iterator[tuple[str, str]]:
        """(site path, file name in the set's folder) of every derivative the photo publishes."""
        for w, fmt in targets(_probe_of(photo), self.settings):
            yield _url(photo, w, fmt), file_name(w, fmt)
        if photo.converted:
            yield photo.download_url, FULL


def _intact(folder: Path, name: str) -> bytes | None:
    """The file ``name`` of a set, if it is there as the set's digests say it was made (a set
    made before sets kept their digests: if it is not empty)."""
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    try:
        sums = json.loads((folder / SUMS).read_bytes())
    except FileNotFoundError:
        return data or None
    except (OSError, ValueError):
        return None
    return data if isinstance(sums, dict) and sums.get(name) == digest(data) else None


class PhotoFileError(Exception):
    """A file in static/ that looks like an image but cannot be cleaned of metadata."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def _url(photo: Photo, width: int, fmt: str) -> str:
    for r in photo.renditions:
        if r.width == width and r.format == fmt:
            return r.url
    return photo.og_url  # the one version not among the renditions: the Open Graph JPEG


def _probe_of(photo: Photo) -> Probe:
    # targets() needs only the upright size (the format and digest play no part there).
    return Probe("", photo.width, photo.height, "", 1, photo.size, photo.mtime_ns)


def _rel(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def derive_all(uses: Iterable[tuple[str, Photo]], files: PhotoFiles, jobs: int) -> Derived:
    """Make every photo's missing versions, in parallel; ``uses`` is (release path, photo)."""
    result = Derived()
    first_use: dict[str, tuple[str, Photo]] = {}
    for source, photo in uses:
        first_use.setdefault(photo.key, (source, photo))
    todo: list[tuple[str, Photo, SetJob]] = []
    for key, (source, photo) in first_use.items():
        missing = not files.set_folder(key).is_dir() or \
            (not photo.converted and not files.clean_path(photo.digest).is_file())
        if missing:
            todo.append((source, photo, files.job(photo, with_clean=True)))
        else:
            result.reused += 1
    for (source, photo, _job), problem in zip(todo, _run(todo, jobs), strict=True):
        if problem is None:
            result.made += 1
        else:
            message, hint = problem
            result.problems.append(Diagnostic(source, photo.line, _("photo {value}: {problem}").format(
                value=repr(photo.source), problem=message), hint=hint))
    return result


def _make(job: SetJob) -> tuple[str, str | None] | None:
    try:
        make_set(job)
    except PhotoProblem as exc:
        return exc.message, exc.hint
    except MemoryError:
        return _("there was not enough memory to process the photo"), _("make it smaller")
    except OSError as exc:
        return (_("its versions could not be written ({reason})").format(reason=oserrors.words(exc, lower=False)),
                _("check the free disk space"))
    return None


def _run(todo: list[tuple[str, Photo, SetJob]], jobs: int) -> list[tuple[str, str | None] | None]:
    work = [job for _, _, job in todo]
    if jobs <= 1 or len(work) < 2:
        return [_make(job) for job in work]
    with fork_pool(min(jobs, len(work))) as pool:
        return pool.map(_make, work, chunksize=1)
