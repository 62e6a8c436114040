"""Photos and attachments uploaded from the form: checked by their bytes, stored under safe names.

A file's kind is read from its first bytes (a PDF renamed ``.jpg`` is refused, and so is a
script renamed ``.pdf``); its name is slugified, never overwrites another file (``-2``, ``-3``
...), and lands in ``static/images/`` or ``static/files/``. The build's photo pipeline then
makes the published versions; the original in static/ is never published as it is.
"""

from __future__ import annotations

import email.parser
import email.policy
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Literal

from sitegen.desk import paths
from sitegen.desk.storage import create
from sitegen.images.probe import PhotoProblem, inspect
from sitegen.images.settings import ImageSettings
from sitegen.messages import N_, _
from sitegen.urls import slugify

Kind = Literal["photo", "attachment"]
#: The largest file accepted; a phone photo is 3-8 MB, a signed PDF release well under that.
MAX_BYTES = 25 * 1024 * 1024
#: The largest request body (the file plus the form around it).
MAX_REQUEST = MAX_BYTES + 256 * 1024

#: (leading bytes, extension, which kinds may use it)
_SIGNATURES: tuple[tuple[bytes, str, tuple[Kind, ...]], ...] = (
    (b"\xff\xd8\xff", "jpg", ("photo", "attachment")),
    (b"\x89PNG\r\n\x1a\n", "png", ("photo", "attachment")),
    (b"%PDF-", "pdf", ("attachment",)),
)
#: The names each kind may come with (.jfif: a JPEG as Windows and WhatsApp save it); it is
#: stored under the kind's own name (.jpg).
_NAMES = {"jpg": ("jpg", "jpeg", "jpe", "jfif"), "png": ("png",), "webp": ("webp",), "pdf": ("pdf",)}
_FOLDERS: dict[Kind, str] = {"photo": "images", "attachment": "files"}


class Rejected(ValueError):
    """An upload the desk refuses; ``text()`` says why in plain words, in the UI language."""

    def __init__(self, msgid: str, **values: str) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values

    def text(self) -> str:
        return _(self.msgid).format(**self.values)


class TooLarge(Rejected):
    """An upload over MAX_BYTES (HTTP 413, where other refusals are 415)."""


class Unusable(Rejected):
    """A photo the build could not publish (damaged, cut short, too many pixels): refused at
    once, as every rebuild after it would fail on it."""

    def __init__(self, problem: PhotoProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem

    def text(self) -> str:  # the build's own words, already in the UI language
        hint = f" ({self.problem.hint})" if self.problem.hint else ""
        return self.problem.message + hint


#: What the desk says of a file over MAX_BYTES (the browser says it before sending, too).
TOO_LARGE = N_("the file is larger than 25 MB: upload a smaller copy of it (a phone photo as the phone sends it "
                "in a chat, a PDF saved again at a smaller size)")


@dataclass(frozen=True, slots=True)
class Stored:
    url: str  # site path for the front matter, like /images/rapat.jpg
    path: Path


def sniff(data: bytes) -> str | None:
    """The file type its bytes show (jpg, png, webp, pdf), or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((ext for magic, ext, _ in _SIGNATURES if data.startswith(magic)), None)


def allowed(kind: Kind) -> tuple[str, ...]:
    return tuple(ext for _, ext, kinds in _SIGNATURES if kind in kinds) + (("webp",) if kind == "photo" else ())


def check(kind: Kind, filename: str, data: bytes, max_pixels: int = ImageSettings().max_pixels) -> str:
    """The extension to store ``data`` under, or Rejected. A photo is also read whole, as the
    build reads it (``max_pixels``: the site's images.max_megapixels)."""
    if not data:
        raise Rejected(N_("the file is empty"))
    if len(data) > MAX_BYTES:
        raise TooLarge(TOO_LARGE)
    found = sniff(data)
    if found is None or found not in allowed(kind):
        raise Rejected(N_("this kind of file cannot be uploaded here (photos: JPEG, PNG or WebP; "
                          "attachments: PDF, JPEG or PNG): save it as one of these first (an iPhone's HEIC photo "
                          "as JPEG, a Word document as PDF)"))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix and suffix not in _NAMES[found]:  # a name without an extension gets the one its bytes show
        raise Rejected(N_("the file's name does not match what it holds (its contents are not .{suffix})"),
                       suffix=suffix)
    if kind == "photo":
        try:
            inspect(data, max_pixels)
        except PhotoProblem as problem:
            raise Unusable(problem) from None
    return found


def store(site_dir: Path, kind: Kind, filename: str, data: bytes,
          max_pixels: int = ImageSettings().max_pixels) -> Stored:
    ext = check(kind, filename, data, max_pixels)
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    base = slugify(stem)[:60].strip("-") or ("foto" if kind == "photo" else "lampiran")
    folder = paths.static_folder(site_dir, _FOLDERS[kind])
    for n in range(1, 1000):
        name = f"{base}.{ext}" if n == 1 else f"{base}-{n}.{ext}"
        try:
            create(folder / name, data)
        except FileExistsError:
            continue
        return Stored(f"/{_FOLDERS[kind]}/{name}", folder / name)
    raise Rejected(N_("too many files already have this name"))


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    filename: str | None
    data: bytes


def multipart(content_type: str, body: bytes) -> dict[str, Part]:
    """The fields of a multipart/form-data body (the first of each name)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    found: dict[str, Part] = {}
    if not message.is_multipart():
        return found
    for part in message.iter_parts() if hasattr(message, "iter_parts") else []:
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or name in found:
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        found[name] = Part(name, filename, payload if isinstance(payload, bytes) else b"")
    return found


def texts(parts: Mapping[str, Part]) -> dict[str, list[str]]:
    """The plain (non-file) fields, ``parse_qs``-style."""
    return {name: [part.data.decode("utf-8", "replace")] for name, part in parts.items() if part.filename is None}
