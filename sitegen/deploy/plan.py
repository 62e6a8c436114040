"""What a deploy changes: the local build against the live release's manifest, by digest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sitegen.deploy.snapshot import FileInfo

#: A fifth: more of the live site's pages than this going away is a wrong --site or an
#: emptied content/ far more often than an intended clean-up.
GUARD_SHARE = 0.2
FEED_NAMES = ("feed.xml", "atom.xml", "feed.json")


@dataclass(frozen=True, slots=True)
class Plan:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]
    #: (path, live path): added or changed files whose bytes the live release holds under
    #: another name (a file moved in static/; the search index, whose bundle folders are named
    #: by what they hold): linked from there on the server, not sent.
    same_as: tuple[tuple[str, str], ...] = ()

    @property
    def to_send(self) -> tuple[str, ...]:
        """The files whose path the live release has not with these bytes."""
        return tuple(sorted(self.added + self.changed))

    @property
    def to_upload(self) -> tuple[str, ...]:
        """What travels: ``to_send`` but for what is linked from another name (``same_as``)."""
        held = {path for path, _live in self.same_as}
        return tuple(path for path in self.to_send if path not in held)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def feeds_changed(self) -> list[str]:
        return [path for path in self.to_send if is_feed(path)]


def make_plan(local: Mapping[str, FileInfo], live: Mapping[str, FileInfo]) -> Plan:
    added, changed, unchanged = [], [], []
    for path, info in local.items():
        before = live.get(path)
        if before is None:
            added.append(path)
        elif before != info:
            changed.append(path)
        else:
            unchanged.append(path)
    removed = sorted(set(live) - set(local))
    holding = {info: path for path, info in sorted(live.items(), reverse=True)}  # the first name of equal files
    same_as = tuple((path, holding[local[path]]) for path in sorted(added + changed) if local[path] in holding)
    return Plan(tuple(sorted(added)), tuple(sorted(changed)), tuple(removed), tuple(sorted(unchanged)), same_as)


def to_clear(local: Iterable[str], removed: Iterable[str]) -> list[str]:
    """What to delete from a copy of the live release so that it holds no path the new one
    lacks: each removed file, or the highest of its folders under which the new release has
    no file at all (that folder goes whole, and no folder is left empty)."""
    folders = {""}
    for path in local:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    roots = set()
    for path in removed:
        top, parent = path, path.rpartition("/")[0]
        while parent not in folders:
            top, parent = parent, parent.rpartition("/")[0]
        roots.add(top)
    return sorted(roots)


def is_page(path: str) -> bool:
    return path.endswith(".html")


def is_feed(path: str) -> bool:
    return path.rpartition("/")[2] in FEED_NAMES


@dataclass(frozen=True, slots=True)
class Loss:
    """Pages of the live release the plan would drop, when that is more than the guard allows."""

    removed: int
    live: int


def guard(plan: Plan, live: Mapping[str, FileInfo]) -> Loss | None:
    pages = sum(1 for path in live if is_page(path))
    gone = sum(1 for path in plan.removed if is_page(path))
    return Loss(gone, pages) if pages and gone > pages * GUARD_SHARE else None
