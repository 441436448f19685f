"""Binding a call's arguments to the task function's parameters, each with its compiled
checker: the plan of one task function, made once.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import typing_extensions

from typed_tasks.annotations import resolve_annotations
from typed_tasks.rule import (
    ANY,
    Node,
    TypedDictNode,
    parse,
    typed_dict_items,
)
from typed_tasks.validation.checkers import Check, _Compiler
from typed_tasks.validation.errors import TaskArgumentError, _argument_error


def validate_arguments(
    func: Callable[..., object],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    *,
    task_name: str,
    takes_context: bool,
) -> None:
    """Raise ``TaskArgumentError`` unless ``func(*args, **kwargs)`` would bind and every
    argument would reach the worker as its parameter declares."""
    key = (func, takes_context)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _Plan(func, takes_context)
    plan.validate(args, kwargs, task_name)


# -- the compiled form of a task function -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parameter:
    name: str
    node: Node
    check: Check
    position: int | None  # index among the positional parameters
    required: bool


_plans: dict[tuple[Callable[..., object], bool], _Plan] = {}


class _Plan:
    """Signature, annotations and checkers of one task function, computed once."""

    def __init__(self, func: Callable[..., object], takes_context: bool) -> None:
        try:
            parameters = list(inspect.signature(func).parameters.values())
        except (TypeError, ValueError):  # no signature to read: check serializability only
            parameters = list(inspect.signature(_anything).parameters.values())
        if takes_context and parameters and parameters[0].kind in _POSITIONAL_KINDS:
            parameters = parameters[1:]
        hints = resolve_annotations(func)
        compiler = _Compiler()
        self.positional: list[_Parameter] = []
        self.by_keyword: dict[str, _Parameter] = {}
        self.positional_only: set[str] = set()
        self.var_positional: _Parameter | None = None
        self.var_keyword: _Parameter | None = None
        for p in parameters:
            hint = hints.get(p.name, Any)
            if p.kind is p.VAR_KEYWORD and typing.get_origin(hint) is typing_extensions.Unpack:
                self._add_unpacked_keywords(parse(typing.get_args(hint)[0]), compiler)
                continue
            node = parse(hint)
            position = len(self.positional) if p.kind in _POSITIONAL_KINDS else None
            required = p.default is p.empty and p.kind not in _VARIADIC_KINDS
            param = _Parameter(p.name, node, compiler.compile(node), position, required)
            if p.kind is p.VAR_POSITIONAL:
                self.var_positional = param
            elif p.kind is p.VAR_KEYWORD:
                self.var_keyword = param
            else:
                if position is not None:
                    self.positional.append(param)
                if p.kind is p.POSITIONAL_ONLY:
                    self.positional_only.add(p.name)
                else:
                    self.by_keyword[p.name] = param
        self.required = [p for p in [*self.positional, *self.by_keyword.values()] if p.required]
        # Required positional parameters come first (Python allows no other order); with
        # required keyword-only ones, every call goes through _bind.
        self.required_positional = sum(p.required for p in self.positional)
        if any(p.required and p.position is None for p in self.required):
            self.required_positional = len(self.positional) + 1

    def _add_unpacked_keywords(self, node: Node, compiler: _Compiler) -> None:
        """``**kwargs: Unpack[SomeTypedDict]``: each key is a keyword-only parameter."""
        typed_dict = node if isinstance(node, TypedDictNode) else None
        for key, value, required in typed_dict_items(typed_dict) if typed_dict else ():
            self.by_keyword[key] = _Parameter(key, value, compiler.compile(value), None, required)
        if typed_dict is None:
            self.var_keyword = _Parameter("kwargs", ANY, compiler.compile(ANY), None, False)

    def validate(self, args: tuple[object, ...], kwargs: Mapping[str, object], task: str) -> None:
        if kwargs or not self.required_positional <= len(args) <= len(self.positional):
            self._bind(args, kwargs, task)  # the plain case, positional arguments only, binds
        for value, param in zip(args, self.positional, strict=False):
            try:
                if param.check(value, 0):
                    continue
            except Exception:  # the value's own methods raised: described below
                pass
            raise _argument_error(task, param.name, param.name, value, param.node)
        if len(args) > len(self.positional) and self.var_positional is not None:
            star = self.var_positional
            for index in range(len(self.positional), len(args)):
                _check(task, star, f"{star.name}[{index - len(self.positional)}]", args[index])
        for name, value in kwargs.items():
            keyword = self.by_keyword.get(name) or self.var_keyword
            assert keyword is not None  # _bind let only known keywords through
            _check(task, keyword, name, value, parameter=name)

    def _bind(self, args: tuple[object, ...], kwargs: Mapping[str, object], task: str) -> None:
        """Raise where Python would fail to call the function with these arguments."""
        given = len(args)
        if given > len(self.positional) and self.var_positional is None:
            count = len(self.positional)
            plural = "" if count == 1 else "s"
            raise _binding_error(
                task, f"takes {count} positional argument{plural} but {given} were given"
            )
        for name in kwargs:
            param = self.by_keyword.get(name)
            if param is not None:
                if param.position is not None and param.position < given:
                    raise _binding_error(task, f'got multiple values for argument "{name}"', name)
            elif self.var_keyword is None:
                if name in self.positional_only:
                    message = f'got positional-only argument "{name}" passed as a keyword'
                else:
                    message = f'got an unexpected keyword argument "{name}"'
                raise _binding_error(task, message, name)
        for param in self.required:
            if (param.position is None or param.position >= given) and param.name not in kwargs:
                raise _binding_error(
                    task, f'missing a required argument: "{param.name}"', param.name
                )


def _anything(*args: Any, **kwargs: Any) -> None:
    """Stands in for a callable whose signature cannot be read."""


_POSITIONAL_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_VARIADIC_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _binding_error(task: str, message: str, parameter: str = "") -> TaskArgumentError:
    return TaskArgumentError(
        f"{task}(): {message}", task_name=task, parameter=parameter, path=parameter
    )


def _check(
    task: str, param: _Parameter, root: str, value: object, parameter: str | None = None
) -> None:
    try:
        if param.check(value, 0):
            return
    except Exception:  # the value's own methods raised: described below
        pass
    raise _argument_error(task, parameter or param.name, root, value, param.node)
