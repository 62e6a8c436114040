"""sitegen.frozen.builder against the stock constructor of a frozen, slotted dataclass:
what it makes must be indistinguishable from what ``cls(*values)`` makes."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from sitegen.build import Options, State, build
from sitegen.content.parse_all import Parsed
from sitegen.frozen import builder
from sitegen.model import Entry

NOW = "2026-01-01T00:00:00+07:00"


def _values(obj: object) -> list[object]:
    return [getattr(obj, f.name) for f in dataclasses.fields(obj)]  # type: ignore[arg-type]


def test_built_entries_are_stock_entries(bundled_site: Path) -> None:
    state = State()
    build(Options(site_dir=bundled_site, now=NOW, search=False, jobs=1), state)
    make_entry, make_parsed = builder(Entry), builder(Parsed)
    parses = [p for p in state.parsed.values() if p.entry is not None]
    assert len(parses) > 10
    for parsed in parses:
        assert parsed.entry is not None
        stock = Entry(*_values(parsed.entry))
        quick = make_entry(*_values(parsed.entry))
        assert type(quick) is Entry and not hasattr(quick, "__dict__")
        assert quick == stock and repr(quick) == repr(stock)
        assert dataclasses.asdict(quick) == dataclasses.asdict(stock)
        assert pickle.loads(pickle.dumps(quick)) == stock
        assert copy.copy(quick) == stock
        assert dataclasses.replace(quick, title="x") == dataclasses.replace(stock, title="x")
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.title = "changed"  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            del quick.title  # type: ignore[misc]
        wrapped = make_parsed(*_values(parsed)[:3], quick, *_values(parsed)[4:])
        assert type(wrapped) is Parsed and wrapped == parsed


def test_a_wrong_number_of_values_fails_as_the_stock_constructor_does() -> None:
    make = builder(Parsed)
    with pytest.raises(TypeError):
        make(1, 2)
    with pytest.raises(TypeError):
        Parsed(1, 2)  # type: ignore[call-arg]


def test_built_objects_hash_as_stock_ones_do() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Point:
        x: int
        y: tuple[int, ...]

    quick, stock = builder(Point)(1, (2, 3)), Point(1, (2, 3))
    assert type(quick) is Point and quick == stock and hash(quick) == hash(stock)
    assert {quick: "a"}[stock] == "a"
