"""`record`: a frozen dataclass whose equality, hash and repr are shared functions, not generated code.

Why: `dataclasses.dataclass` writes the source of each special method of each class and compiles it
with `exec` (Python 3.11 does one `exec` per method). With some 130 frozen model classes that was
over half of kube2ecs' start-up, paid on every run, before any manifest is read. A record keeps
the generated `__init__` (the one called per instance, so the fast one matters) and the frozen
`__setattr__`/`__delattr__`, and shares `__eq__`, `__hash__` and `__repr__`, which read each class's
compared fields once through one `operator.attrgetter`. Semantics are those of
`dataclass(frozen=True)`: same fields, `field(compare=False)` and `field(hash=...)` honoured, equal
only to an instance of the very same class, hash of the compared values, and
`dataclasses.fields`/`replace`/`is_dataclass` work as on any dataclass.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_Getter = Callable[[Any], tuple[Any, ...]]


def _getter(names: list[str]) -> _Getter:
    """The values of `names` as a tuple, read in C."""
    if not names:
        return lambda _obj: ()
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return operator.attrgetter(*names)  # type: ignore[return-value]  # a tuple for two names or more


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = self.__class__.__record_compared__
    return self is other or compared(self) == compared(other)


def _hash(self: Any) -> int:
    return hash(self.__class__.__record_hashed__(self))


def _repr(self: Any) -> str:
    cls = self.__class__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in cls.__record_shown__)
    return f"{cls.__qualname__}({shown})"


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """`dataclass(frozen=True)` with shared `__eq__`, `__hash__` and `__repr__` (see the module docstring)."""
    for name, shared in (("__eq__", _eq), ("__hash__", _hash), ("__repr__", _repr)):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: a record shares it")
        setattr(cls, name, shared)
    if cls.__doc__ is None:  # dataclass would build one from inspect.signature, the slowest step left
        cls.__doc__ = cls.__name__
    made = dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]  # a dataclass from here on
    made.__record_compared__ = _getter([f.name for f in fields if f.compare])  # type: ignore[attr-defined]
    made.__record_hashed__ = _getter(  # type: ignore[attr-defined]
        [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    return made
