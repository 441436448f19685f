"""The options a task's type carries (``mypy_plugin.options``): what ``@task(...)`` and
``using(...)`` set is read back where the task is used, in this run or from mypy's cache."""

from typing import Any

import pytest
from mypy.nodes import Block, ClassDef, SymbolTable, TypeInfo
from mypy.types import ExtraAttrs, Instance, LiteralType, LiteralValue

from mypy_plugin.options import attach_options, options_carried_by, with_options


def _instance(fullname: str) -> Instance:
    module, _, name = fullname.rpartition(".")
    info = TypeInfo(SymbolTable(), ClassDef(name, Block([])), module)
    info._fullname = fullname
    return Instance(info, [])


class _Api:
    """The one call ``attach_options`` makes of mypy's checker."""

    def named_generic_type(self, fullname: str, args: list[Any]) -> Instance:
        return _instance(fullname)


API: Any = _Api()
TASK = "django.tasks.base.Task"


@pytest.mark.parametrize(
    "options",
    [
        {"backend": "default", "queue_name": "default", "priority": 0},
        {"backend": "emails", "priority": -100, "takes_context": True, "is_async": True},
        {"priority": 1, "takes_context": True},  # 1 and True stay apart
        {"queue_name": 'ünïcode "quoted" {braces}'},
    ],
)
def test_options_read_back_as_attached(options: dict[str, LiteralValue]) -> None:
    task = attach_options(_instance(TASK), API, options)
    assert options_carried_by(task) == options
    carried = options_carried_by(task)
    assert {name: type(value) for name, value in carried.items()} == {
        name: type(value) for name, value in options.items()
    }


def test_options_survive_mypys_cache() -> None:
    task = with_options(_instance(TASK), API, {"backend": "emails", "priority": 7})
    cached = Instance.deserialize(task.serialize())
    assert options_carried_by(cached) == {"backend": "emails", "priority": 7}


def test_nothing_attached_carries_nothing() -> None:
    task = attach_options(_instance(TASK), API, {})
    assert task.extra_attrs is None
    assert options_carried_by(task) == {}


@pytest.mark.parametrize(
    "attrs",
    [
        {"func": _instance("builtins.str")},  # not a literal
        {"func": LiteralType(5, _instance("builtins.int"))},  # not a spelling
        {"func": LiteralType("not json", _instance("builtins.str"))},
        {"func": LiteralType('["a list"]', _instance("builtins.str"))},
        {"func": LiteralType('{"unknown": 1, "priority": [1]}', _instance("builtins.str"))},
        {"backend": LiteralType("emails", _instance("builtins.str"))},  # another name
    ],
)
def test_attributes_not_set_by_the_plugin_carry_nothing(attrs: dict[str, Any]) -> None:
    task = _instance(TASK)
    task.extra_attrs = ExtraAttrs(attrs)
    assert options_carried_by(task) == {}


def test_options_survive_mypys_own_copies() -> None:
    # hasattr() narrowing copies the attributes into a new object with one more.
    task = with_options(_instance(TASK), API, {"backend": "emails", "priority": 7})
    assert options_carried_by(task) == {"backend": "emails", "priority": 7}
    narrowed = task.copy_with_extra_attr("retries", _instance("builtins.int"))
    assert narrowed.extra_attrs is not task.extra_attrs
    assert options_carried_by(narrowed) == {"backend": "emails", "priority": 7}
    assert options_carried_by(task.copy_modified()) == {"backend": "emails", "priority": 7}
