"""`record`: a frozen dataclass whose special methods are shared functions or one small `__init__`.

Why: `dataclasses.dataclass` writes the source of each special method of each class and compiles it
with `exec` (Python 3.11 does one `exec` per method: `__init__`, and for a frozen class
`__setattr__` and `__delattr__`, besides `__eq__`, `__hash__` and `__repr__`). With some 250 model
classes that was most of kube2ecs' start-up, paid on every run before any manifest is read. A
record compiles one function per class, its `__init__`, and only when the class is first
instantiated. Everything else is shared: `__eq__`,
`__hash__` and `__repr__` read each class's fields once through one `operator.attrgetter`, and
`__setattr__`/`__delattr__` refuse every change with `dataclasses.FrozenInstanceError`.

Semantics are those of `dataclass(frozen=True)`: same fields, defaults, `default_factory`,
`kw_only`, `field(init=False)`, `field(compare=False)` and `field(hash=...)` honoured; equal only to
an instance of the very same class, hash of the compared values; `dataclasses.fields`, `replace`,
`asdict` and `is_dataclass` work as on any dataclass. One difference: the standard library sees a
record as a non-frozen dataclass (`__dataclass_params__.frozen` is False, since freezing is the
record's own), so `frozen(cls)` is the test, and a record's subclasses must be records.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, dataclass_transform

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


def _setattr(self: Any, name: str, value: Any) -> NoReturn:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> NoReturn:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


_SHARED = {"__eq__": _eq, "__hash__": _hash, "__repr__": _repr, "__setattr__": _setattr, "__delattr__": _delattr}


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """`dataclass(frozen=True)` with shared methods and one compiled `__init__` (see the module docstring)."""
    for name in (*_SHARED, "__init__"):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: a record makes it")
    if cls.__doc__ is None:  # dataclass would build one from inspect.signature, the slowest step left
        cls.__doc__ = cls.__name__
    made = dataclasses.dataclass(init=False, eq=False, repr=False)(cls)
    for name, shared in _SHARED.items():
        setattr(made, name, shared)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]  # a dataclass from here on
    made.__init__ = _deferred(made)  # type: ignore[method-assign]
    made.__record_compared__ = _getter([f.name for f in fields if f.compare])  # type: ignore[attr-defined]
    made.__record_hashed__ = _getter(  # type: ignore[attr-defined]
        [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    return made


def frozen(cls: type) -> bool:
    """Whether instances of `cls` refuse changes: a record, or a `dataclass(frozen=True)`."""
    params = getattr(cls, "__dataclass_params__", None)
    return cls.__setattr__ is _setattr or bool(params is not None and params.frozen)


def _deferred(cls: type) -> Callable[..., None]:
    """An `__init__` that compiles the real one on the class's first instance and hands over to it:
    of some 250 classes, a run makes instances of those its input needs, and each compile costs."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init(cls.__qualname__, dataclasses.fields(cls))
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    return __init__


_FACTORY = object()  # the default of a parameter whose field has a default_factory, as in dataclasses


def _init(qualname: str, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The `__init__` dataclasses would write: `object.__setattr__` past the frozen `__setattr__`, which
    keeps the instance's values inline (a write through `__dict__` makes the dict itself, a third
    more memory per instance)."""
    values: dict[str, Any] = {"__factory__": _FACTORY, "__set__": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for number, f in enumerate(fields):
        default = f"__default_{number}__"  # names no field can clash with
        if f.default is not dataclasses.MISSING:
            values[default] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            values[default] = f.default_factory
        if not f.init:
            if f.default_factory is not dataclasses.MISSING:
                body.append(f"__set__(__self__, {f.name!r}, {default}())")
            elif f.default is not dataclasses.MISSING:
                body.append(f"__set__(__self__, {f.name!r}, {default})")
            continue
        if f.default_factory is not dataclasses.MISSING:
            parameter = f"{f.name}=__factory__"
            body.append(f"__set__(__self__, {f.name!r}, {default}() if {f.name} is __factory__ else {f.name})")
        else:
            parameter = f.name if f.default is dataclasses.MISSING else f"{f.name}={default}"
            body.append(f"__set__(__self__, {f.name!r}, {f.name})")
        (keyword if f.kw_only else positional).append(parameter)
    signature = ", ".join(["__self__", *positional, *(["*", *keyword] if keyword else [])])
    lines = [f"def __init__({signature}):", *(f"    {line}" for line in body or ["pass"])]
    exec("\n".join(lines), values)  # source built above from field names only
    init: Callable[..., None] = values["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init
