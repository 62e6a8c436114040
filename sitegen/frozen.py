"""A quicker constructor for frozen, slotted dataclasses, for where tens of thousands are made.

A frozen class's ``__init__`` sets each field through ``object.__setattr__``, which costs
a good part of loading the entries cache (an Entry has over thirty fields). ``builder``
fills an unfrozen twin with the same slots and then gives it the frozen class; Python
checks that the two have the same layout. The result is an instance of ``cls`` in every
respect, frozen included (tests/test_frozen.py compares it with the stock constructor).
What it buys is in benchmarks/README.md ("Measured figures behind the code"); it is used
only where that was worth it: the entries cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, make_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A constructor for ``cls`` taking every field by position."""
    twin: Any = make_dataclass(f"_{cls.__name__}Builder",
                               [(f.name, f.type) for f in fields(cls)],  # type: ignore[arg-type]
                               slots=True, repr=False, eq=False)

    def build(*values: object) -> T:
        made = twin(*values)
        try:
            made.__class__ = cls
        except TypeError:  # an interpreter that refuses the swap: the ordinary way
            return cls(*values)
        return made  # type: ignore[no-any-return]

    return build
