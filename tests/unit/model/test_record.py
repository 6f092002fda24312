"""`record` behaves as `dataclass(frozen=True)` does, with shared equality, hash and repr."""

from __future__ import annotations

import dataclasses

import pytest

from translator.model.record import frozen, record


@record
class Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@record
class Other:
    x: int
    y: int = 0


@record
class Empty:
    pass


@record
class One:
    value: tuple[int, ...]


def test_equality_reads_the_compared_fields_only() -> None:
    assert Point(1, 2, "a") == Point(1, 2, "b")
    assert Point(1, 2) != Point(1, 3)
    assert Empty() == Empty()
    assert One((1,)) == One((1,)) and One((1,)) != One((2,))


def test_an_instance_of_another_class_is_never_equal() -> None:
    assert Point(1, 2) != Other(1, 2)
    assert (Point(1, 2) == Other(1, 2)) is False


def test_hash_follows_equality_as_a_dataclass_hash_does() -> None:
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b")) == hash((1, 2))
    assert hash(One((1,))) == hash(((1,),)) and hash(Empty()) == hash(())
    assert len({Point(1, 2, "a"), Point(1, 2, "b"), Point(2, 2)}) == 2


def test_frozen_and_a_dataclass_to_the_standard_library() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.y
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.other = 1  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(point) and frozen(Point) and not frozen(Plain)
    assert [f.name for f in dataclasses.fields(point)] == ["x", "y", "label"]
    assert dataclasses.replace(point, y=5) == Point(1, 5)


@dataclasses.dataclass
class Plain:
    x: int


@record
class Kinds:
    """Every kind of field dataclasses' own `__init__` takes, with the names its locals could clash with."""

    d: int
    self: str = "s"
    items: tuple[int, ...] = dataclasses.field(default_factory=lambda: (1, 2))
    seen: list[int] = dataclasses.field(default_factory=list, init=False, compare=False)
    fixed: int = dataclasses.field(default=7, init=False)
    role: str = dataclasses.field(default="", kw_only=True)
    group: int = dataclasses.field(kw_only=True)


@record
class Child(Kinds):
    extra: int = 0


def test_init_takes_every_kind_of_field_as_a_dataclass_does() -> None:
    made = Kinds(1, group=3)
    assert (made.d, made.self, made.items, made.seen, made.fixed, made.role, made.group) == (1, "s", (1, 2), [], 7, "", 3)
    assert Kinds(1, group=3).seen is not made.seen  # a factory per instance
    assert Kinds(2, "t", (3,), role="r", group=4) == Kinds(d=2, self="t", items=(3,), role="r", group=4)
    assert dataclasses.replace(made, role="x").role == "x"
    with pytest.raises(TypeError):
        Kinds(1, "s", (), "r", 3)  # type: ignore[misc]  # keyword-only fields stay keyword-only
    with pytest.raises(TypeError):
        Kinds(1)  # type: ignore[call-arg]
    assert Child(1, group=2, extra=5).extra == 5 and frozen(Child)
    assert [f.name for f in dataclasses.fields(Child)] == ["d", "self", "items", "seen", "fixed", "role", "group", "extra"]


def test_repr_names_each_field_as_a_dataclass_repr_does() -> None:
    assert repr(Point(1, 2, "a")) == "Point(x=1, y=2, label='a')"
    assert repr(Empty()) == "Empty()"


def test_a_class_may_not_bring_its_own_equality() -> None:
    with pytest.raises(TypeError, match="defines __eq__"):
        @record
        class Custom:
            def __eq__(self, other: object) -> bool:
                return True
