"""Strict validation of task arguments at enqueue, by the JSON-image rule on values.

A value passes when its JSON image, ``json.loads(json.dumps(normalize_json(value)))``,
would be an instance of its parameter's annotation: what the worker receives is what
the function declares. A ``bool`` passes for ``int`` and an ``int`` for ``float``, as in
the type system; a tuple passes for ``list[int]`` (it arrives as a list) but not for
``tuple[int, int]``; a ``StrEnum`` member passes for ``str`` but not for its own class.

For an unannotated, ``Any`` or ``object`` parameter (and an unresolvable annotation) the
rule cannot judge the declared type, so only serializability is checked: the argument's
own type decides, and a tuple to an ``Any`` parameter is fine (the function said it
accepts anything). Django runs ``normalize_json`` itself before storing anything; the
check here only reports its failures early, by name and path.

Limits, chosen to turn crashes into clear errors:

* values nested deeper than ``MAX_DEPTH`` (100) containers are rejected: Django's
  ``normalize_json`` and ``json.dumps`` recurse once per level and would end in a
  ``RecursionError``; a reference cycle is reported as such.
* ints too long for ``str()`` (``sys.get_int_max_str_digits()``, 4300 digits by
  default) are rejected, as ``json.dumps`` raises ``ValueError`` for them.
* float NaN and infinities pass: ``json`` writes and reads them back (as the
  non-standard tokens ``NaN`` and ``Infinity``), which is the round trip the rule is
  defined by. A backend that stores into PostgreSQL ``jsonb`` rejects those tokens in
  its own insert.

Each function is compiled once (signature, type hints, one checker per parameter) on
its first validation; checking a value is a walk with no exceptions and no path
strings. Only when a check fails is the value walked again to find and describe the
first problem.
"""

from __future__ import annotations

import inspect
import json
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import NoneType
from typing import Any

import typing_extensions

from typed_tasks import rule_table
from typed_tasks.annotations import resolve_annotations
from typed_tasks.rule import (
    ANY,
    DICT_ORIGINS,
    LIST_ORIGINS,
    AliasNode,
    AnyNode,
    EnumNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    NamedTupleNode,
    Node,
    OpaqueNode,
    Refusal,
    ScalarNode,
    SequenceNode,
    TupleNode,
    TypedDictNode,
    UnionNode,
    describe_node,
    expand_alias,
    fits,
    image,
    key_image,
    kind_of_class,
    lossy_image,
    parse,
    typed_dict_items,
)

__all__ = ["MAX_DEPTH", "TaskArgumentError", "validate_arguments"]

MAX_DEPTH = 100

Check = Callable[[object, int], bool]  # (value, depth) -> its image is an instance
_SMALL_INT = 10**600  # below sys.int_info's lowest possible str() digit limit (640)


class TaskArgumentError(TypeError):
    """An argument the worker would not receive as the task function declares it."""

    def __init__(self, message: str, *, task_name: str, parameter: str, path: str) -> None:
        super().__init__(message)
        self.task_name = task_name
        self.parameter = parameter
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_error, (str(self), self.task_name, self.parameter, self.path)


def _rebuild_error(message: str, task_name: str, parameter: str, path: str) -> TaskArgumentError:
    return TaskArgumentError(message, task_name=task_name, parameter=parameter, path=path)


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


# -- checkers: does the image of a value belong to a node? ------------------------------


class _Compiler:
    """Compiles nodes into checkers, each node once (recursive types become loops)."""

    def __init__(self) -> None:
        self.done: dict[Node, Check] = {}

    def compile(self, node: Node) -> Check:
        check = self.done.get(node)
        if check is None:
            late: list[Check] = []
            self.done[node] = lambda value, depth: late[0](value, depth)
            check = self._build(node)
            late.append(check)
            self.done[node] = check
        return check

    def _build(self, node: Node) -> Check:
        match node:
            case AnyNode():
                return _serializable
            case ScalarNode(cls=cls, base=base):
                return _SCALAR_CHECKS[base] if cls is base else _never
            case LiteralNode(values=values):
                return _literal_check(values)
            case SequenceNode(origin=origin, item=item) if origin in LIST_ORIGINS:
                return _list_check(self.compile(item), _fast_type(item))
            case MappingNode(origin=origin, key=key, value=value) if origin in DICT_ORIGINS:
                return _dict_check(self.key_check(key), self.compile(value), _fast_type(value))
            case TypedDictNode():
                items = typed_dict_items(node)
                fields = [(k, self.compile(v), _fast_type(v), r) for k, v, r in items]
                return _typed_dict_check(fields)
            case UnionNode(members=members):
                checks = [self.compile(member) for member in members]
                checks.sort(key=lambda check: check is _check_none)  # None last: Optional[X]
                return _union_check(checks)
            case AliasNode():
                return self.compile(expand_alias(node))
            case NamedNode(inner=inner):
                return self.compile(inner)
            case OpaqueNode(cls=cls) if cls is not None:
                return _image_class_check(cls)
        return _never  # tuples, enums, bytes, deques...: their image is never one of them

    def key_check(self, key: Node) -> Callable[[object], bool] | None:
        """Keys arrive as the strings json.dumps writes for them; None: any such key."""
        if isinstance(key, AnyNode) or key == ScalarNode(str, str):
            return None
        as_str = self.compile(key)
        return lambda k: _serializable_key(k) and as_str(_json_key(k), 0)


def _never(value: object, depth: int) -> bool:
    return False


def _int_fits(value: int) -> bool:
    """Whether json.dumps can write the int (str() refuses ints of too many digits)."""
    if -_SMALL_INT < value < _SMALL_INT:
        return True
    limit = sys.get_int_max_str_digits()
    return limit == 0 or abs(value) < 10**limit


def _check_none(value: object, depth: int) -> bool:
    return value is None


def _check_bool(value: object, depth: int) -> bool:
    return type(value) is bool


def _check_int(value: object, depth: int) -> bool:
    if type(value) is int:
        return -_SMALL_INT < value < _SMALL_INT or _int_fits(value)
    return isinstance(value, int) and (type(value) is bool or _int_fits(value))


def _check_float(value: object, depth: int) -> bool:
    return type(value) is float or isinstance(value, float) or _check_int(value, depth)


def _check_str(value: object, depth: int) -> bool:
    if type(value) is str:
        return True
    return isinstance(value, str) or (isinstance(value, bytes) and _is_utf8(value))


_SCALAR_CHECKS: dict[type, Check] = {
    NoneType: _check_none,
    bool: _check_bool,
    int: _check_int,
    float: _check_float,
    str: _check_str,
    bytes: _never,
}


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode()
    except UnicodeDecodeError:
        return False
    return True


def _fast_type(node: Node) -> type | None:
    """A type whose every instance passes ``node`` (ints excepted: see _int_fits)."""
    if isinstance(node, ScalarNode) and node.cls is node.base and node.base is not bytes:
        return node.base
    return None


def _literal_check(values: tuple[object, ...]) -> Check:
    allowed = {(type(v), v) for v in values if type(v) in _LITERAL_KINDS}

    def check(value: object, depth: int) -> bool:
        kind = _image_type(value)
        return kind in _LITERAL_KINDS and (kind, _scalar_image(value)) in allowed

    return check


_LITERAL_KINDS = (str, int, bool, NoneType)


def _scalar_image(value: object) -> object:
    """The builtin value a str/int/float/bytes (or subclass) value arrives as."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, bytes):
        return value.decode()
    return value


def _items_pass(
    items: typing.Iterable[object], check: Check, fast: type | None, depth: int
) -> bool:
    for item in items:
        kind = type(item)
        if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not check(item, depth):
            return False
    return True


def _list_check(item_check: Check, fast: type | None) -> Check:
    def check(value: object, depth: int) -> bool:
        if type(value) is list or type(value) is tuple:
            items: typing.Iterable[object] = value
        elif _image_type(value) is list:
            items = _sequence_items(value)
        else:
            return False
        return depth < MAX_DEPTH and _items_pass(items, item_check, fast, depth + 1)

    return check


def _dict_check(
    key_check: Callable[[object], bool] | None, value_check: Check, fast: type | None
) -> Check:
    """``key_check`` None: any key json.dumps can write will do (``str`` or ``Any`` keys)."""

    def check(value: object, depth: int) -> bool:
        if type(value) is dict:
            pairs: typing.Iterable[tuple[object, object]] = value.items()
        elif _image_type(value) is dict:
            pairs = _mapping_items(value)
        else:
            return False
        if depth >= MAX_DEPTH:
            return False
        depth += 1
        for key, item in pairs:
            if key_check is None:
                if type(key) is not str and not _serializable_key(key):
                    return False
            elif not key_check(key):
                return False
            kind = type(item)
            if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
                continue
            if not value_check(item, depth):
                return False
        return True

    return check


def _typed_dict_check(items: list[tuple[str, Check, type | None, bool]]) -> Check:
    def fits(mapping: Mapping[Any, object], depth: int) -> bool:
        present = 0
        for key, item_check, fast, required in items:
            item = mapping.get(key, _MISSING)
            if item is _MISSING:
                if required:
                    return False
                continue
            present += 1
            kind = type(item)
            if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
                continue
            if not item_check(item, depth):
                return False
        return present == len(mapping)  # no key the TypedDict does not declare

    def check(value: object, depth: int) -> bool:
        if type(value) is dict and depth < MAX_DEPTH:
            try:
                if fits(value, depth + 1):
                    return True
            except Exception:  # a key's own __eq__ raised: compare the keys as they arrive
                pass
            if all(type(key) is str for key in value):
                return False
        # Keys that are not str, or a Mapping that is not a dict, arrive as JSON strings.
        if depth >= MAX_DEPTH or _image_type(value) is not dict:
            return False
        return fits(_keys_as_json(value), depth + 1)

    return check


_MISSING = object()


def _union_check(checks: list[Check]) -> Check:
    if len(checks) == 2 and checks[1] is _check_none:
        first = checks[0]
        return lambda value, depth: value is None or first(value, depth)

    def check(value: object, depth: int) -> bool:
        for member in checks:  # noqa: SIM110 - a loop, not any(generator), on the hot path
            if member(value, depth):
                return True
        return False

    return check


def _image_class_check(cls: type) -> Check:
    """A class the rule cannot image (Hashable, Sized...): its isinstance on the image."""

    def check(value: object, depth: int) -> bool:
        kind = _image_type(value)
        return kind is not None and issubclass(kind, cls) and _serializable(value, depth)

    return check


# -- serializability, the check for Any ---------------------------------------------------


def _serializable(value: object, depth: int) -> bool:
    """Whether normalize_json and json.dumps accept the value."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is int:
        return _int_fits(value)  # type: ignore[arg-type]
    if depth >= MAX_DEPTH:
        # No container this deep; a leaf must still be one normalize_json accepts.
        image = _image_type(value)
        return image is not None and image not in (list, dict)
    if kind is list or kind is tuple:
        items: typing.Iterable[object] = value  # type: ignore[assignment]
    elif kind is dict:
        return _serializable_pairs(value.items(), depth + 1)  # type: ignore[attr-defined]
    else:
        image_kind = _image_type(value)
        if image_kind is dict:
            return _serializable_pairs(_mapping_items(value), depth + 1)
        if image_kind is not list:
            return image_kind is not None
        items = _sequence_items(value)
    depth += 1
    for item in items:
        kind = type(item)
        if kind in _PLAIN or (kind is int and -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not _serializable(item, depth):
            return False
    return True


def _serializable_pairs(pairs: typing.Iterable[tuple[object, object]], depth: int) -> bool:
    for key, item in pairs:
        if type(key) is not str and not _serializable_key(key):
            return False
        kind = type(item)
        if kind in _PLAIN or (kind is int and -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not _serializable(item, depth):
            return False
    return True


_PLAIN = frozenset({str, float, bool, NoneType})  # JSON-native types that always pass


def _serializable_key(key: object) -> bool:
    return _image_type(key) in (str, int, float, bool, NoneType)


def _image_type(value: object) -> type | None:
    """The builtin type normalize_json turns the value into; None if it raises."""
    if isinstance(value, Mapping):
        return dict
    if isinstance(value, bytes):
        return str if _is_utf8(value) else None
    if value is None:
        return NoneType
    if isinstance(value, bool):
        return bool
    if isinstance(value, str):
        return str
    if isinstance(value, int):
        return int if _int_fits(value) else None
    if isinstance(value, float):
        return float
    if isinstance(value, Sequence):
        return list
    return None


def _sequence_items(value: object) -> list[object]:
    # A comprehension, as normalize_json uses: list() would also call __len__.
    return [item for item in value]  # type: ignore[attr-defined]


def _mapping_items(value: object) -> list[tuple[object, object]]:
    return [(key, item) for key, item in value.items()]  # type: ignore[attr-defined]


def _json_key(key: object) -> str:
    """The string json.dumps writes for a dict key after normalize_json."""
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, bytes):
        return key.decode()
    return str(json.loads(json.dumps({_scalar_image(key): 0})).popitem()[0])


def _keys_as_json(mapping: object) -> dict[str, object]:
    return {_json_key(key): item for key, item in _mapping_items(mapping)}


# -- describing the first problem ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    path: tuple[object, ...]  # keys and indexes below the argument
    message: str  # what follows 'argument "x" at x[..] '


def _argument_error(
    task: str, parameter: str, root: str, value: object, node: Node
) -> TaskArgumentError:
    try:
        problem = _Finder(node).find(value, node, ())
    except RecursionError:
        problem = _Problem((), _too_deep())
    except Exception as error:  # a value's own method raised while we looked
        problem = _Problem((), f"raised {type(error).__name__} while being inspected: {error}")
    if problem is None:  # unreachable unless the value changed between the two walks
        problem = _Problem((), f"is {_a(value)}, expected {describe_node(node)}")
    path = root + "".join(_spell_segment(segment) for segment in problem.path)
    where = "" if path == parameter else f" at {_shorten(root, problem.path)}"
    message = f'{task}(): argument "{parameter}"{where} {problem.message}'
    return TaskArgumentError(message, task_name=task, parameter=parameter, path=path)


def _shorten(root: str, path: tuple[object, ...], keep: int = 4) -> str:
    """The path for a message: a very deep one keeps its two ends (the error has it all)."""
    if len(path) <= 3 * keep:
        return root + "".join(_spell_segment(segment) for segment in path)
    head = "".join(_spell_segment(segment) for segment in path[:keep])
    tail = "".join(_spell_segment(segment) for segment in path[-keep:])
    return f"{root}{head}...{tail} ({len(path)} levels)"


def _spell_segment(segment: object) -> str:
    """An index, or a key as Python would write it (keys here are JSON-writable scalars)."""
    plain = _scalar_image(segment)  # a builtin value, whatever the key's own __repr__ does
    if isinstance(plain, str):
        return f"[{json.dumps(plain, ensure_ascii=False)}]"
    return f"[{plain!r}]"


class _Finder:
    """Walks a value against a node again, this time keeping the path, to name the problem."""

    def __init__(self, top: Node) -> None:
        self.top = top
        self.compiler = _Compiler()
        self.open: set[int] = set()  # ids of the containers on the current path

    def find(self, value: object, declared: Node, path: tuple[object, ...]) -> _Problem | None:
        node = _unwrap(declared)
        if _passes(self.compiler.compile(node), value, len(path)):
            return None
        kind = _image_type(value)
        if kind is None:
            return _Problem(path, _unserializable(value))
        if kind is list or kind is dict:
            if id(value) in self.open:
                cycle = f"refers back to an enclosing {kind.__name__} (a reference cycle)"
                return _Problem(path, cycle + ", which JSON cannot represent")
            if len(path) >= MAX_DEPTH:
                return _Problem(path, _too_deep())
        if isinstance(node, UnionNode):
            member = _closest_member(value, kind, node)
            if member is None:
                return _Problem(path, self._mismatch(value, node))
            return self.find(value, member, path)
        if isinstance(node, AnyNode):
            return self._contents(value, kind, path, lambda _: ANY)
        if _statically_fits(value, node) and not _image_shape_fits(kind, node):
            arrives = kind.__name__
            lossy = f"is {_a(value)}, which arrives in the worker as {_article(arrives)} {arrives}"
            content = self._contents(value, kind, path, lambda _: ANY)
            return content or _Problem(path, lossy + self._annotate_hint(node))
        if kind is list and _is_list_node(node):
            item = node.item  # type: ignore[union-attr]
            return self._contents(value, kind, path, lambda _: item)
        if kind is dict and isinstance(node, MappingNode) and node.origin in DICT_ORIGINS:
            item = node.value
            return self._keys(value, node, path) or self._contents(
                value, kind, path, lambda _: item
            )
        if kind is dict and isinstance(node, TypedDictNode):
            return self._typed_dict(value, node, path)
        return _Problem(path, self._mismatch(value, declared))

    def _contents(
        self,
        value: object,
        kind: type,
        path: tuple[object, ...],
        node_for: Callable[[object], Node],
    ) -> _Problem | None:
        """The first problem among the items, or the keys and values, of a container."""
        failure = _read_failure(value)
        if failure is not None:
            return _Problem(path, _unreadable(value, failure))
        if kind is list:
            pairs: list[tuple[object, object]] = list(enumerate(_sequence_items(value)))
        elif kind is dict:
            pairs = _mapping_items(value)
            bad_key = next((key for key, _ in pairs if not _serializable_key(key)), _NO_KEY)
            if bad_key is not _NO_KEY:
                return _Problem(path, _bad_key(bad_key))
        else:
            return None
        self.open.add(id(value))
        last: tuple[Node, Check] | None = None
        try:
            for segment, item in pairs:
                item_node = node_for(segment)
                if last is None or last[0] is not item_node:
                    last = (item_node, self.compiler.compile(_unwrap(item_node)))
                if _passes(last[1], item, len(path) + 1):
                    continue  # the common case, checked before any path is built
                problem = self.find(item, item_node, (*path, segment))
                if problem is not None:
                    return problem
        finally:
            self.open.discard(id(value))
        return None

    def _keys(self, value: object, node: MappingNode, path: tuple[object, ...]) -> _Problem | None:
        check = self.compiler.key_check(_unwrap(node.key))
        if check is None or _read_failure(value) is not None:
            return None  # any key will do, or the contents cannot be read (_contents says so)
        for key, _ in _mapping_items(value):
            if _serializable_key(key) and not check(key):
                expected = describe_node(node.key)
                if _keys_survive(node.key):
                    return _Problem(path, f"has the key {key!r}, expected {expected}")
                if type(key) is str:
                    message = f"has the key {key!r}, expected {expected}, but keys arrive as str"
                    return _Problem(path, message + self._annotate_hint(node))
                arrives = json.dumps(_json_key(key), ensure_ascii=False)
                message = f"has the key {key!r}, which arrives in the worker as the str {arrives}"
                return _Problem(path, f"{message}, not {expected}{self._annotate_hint(node)}")
        return None

    def _typed_dict(
        self, value: object, node: TypedDictNode, path: tuple[object, ...]
    ) -> _Problem | None:
        failure = _read_failure(value)
        if failure is not None:
            return _Problem(path, _unreadable(value, failure))
        pairs = _mapping_items(value)
        bad_key = next((key for key, _ in pairs if not _serializable_key(key)), _NO_KEY)
        if bad_key is not _NO_KEY:
            return _Problem(path, _bad_key(bad_key))
        declared = {key: item for key, item, _ in typed_dict_items(node)}
        arriving = [_json_key(key) for key, _ in pairs]
        extra = next((key for key in arriving if key not in declared), None)
        if extra is not None:
            name = describe_node(node)
            return _Problem(path, f"has the key {json.dumps(extra)}, which {name} does not declare")
        for key, _, required in typed_dict_items(node):
            if required and key not in arriving:
                return _Problem(path, f"is missing the required key {json.dumps(key)}")
        return self._contents(value, dict, path, lambda key: declared[_json_key(key)])

    def _mismatch(self, value: object, node: Node) -> str:
        literal = isinstance(node, LiteralNode) and _is_scalar(value)
        shown = f"the {type(value).__name__} {value!r}" if literal else _a(value)
        message = f"is {shown}, expected {describe_node(node)}"
        try:
            arrives_as = lossy_image(node)
        except Refusal as refusal:
            whole = refusal.culprit == describe_node(node)
            advice = rule_table.advice(
                refusal.kind, f'"{refusal.culprit}"', whole=whole, subject=None, role="param"
            )
            return f"{message}, which is not JSON-serializable either: {advice}"
        if arrives_as is None:
            return message
        arrives = describe_node(arrives_as)
        return f"{message}, which arrives in the worker as {arrives}{self._annotate_hint(node)}"

    def _annotate_hint(self, node: Node) -> str:
        """Annotate the whole parameter as its image, or else this part of it."""
        for part in (self.top, node):
            try:
                return f"; annotate the parameter as {describe_node(image(part))}"
            except Refusal:
                continue
        return ""


_NO_KEY = object()


def _passes(check: Check, value: object, depth: int) -> bool:
    try:
        return check(value, depth)
    except Exception:  # the value's own methods raised: not serializable as it is
        return False


def _keys_survive(key: Node) -> bool:
    lost: list[Node] = []
    try:
        return fits(key_image(key, lost), key) and not lost
    except Refusal:
        return False


def _unwrap(node: Node) -> Node:
    while isinstance(node, AliasNode | NamedNode):
        node = expand_alias(node) if isinstance(node, AliasNode) else node.inner
    return node


def _is_list_node(node: Node) -> bool:
    return isinstance(node, SequenceNode) and node.origin in LIST_ORIGINS


def _closest_member(value: object, kind: type, union: UnionNode) -> Node | None:
    """The member of a union a failing value was most likely meant for."""
    members = [_unwrap(member) for member in union.members]
    for matches in (_statically_fits, lambda v, m: _image_shape_fits(kind, m)):
        for member in members:
            if matches(value, member):
                return member
    return None


def _statically_fits(value: object, node: Node) -> bool:
    """Whether the value is an instance of the node as it is, before the round trip."""
    match node:
        case TupleNode():
            return isinstance(value, tuple)
        case NamedTupleNode(cls=cls) | EnumNode(cls=cls) | ScalarNode(cls=cls):
            return isinstance(value, cls)
        case SequenceNode(origin=origin) | MappingNode(origin=origin):
            return isinstance(value, origin)
        case LiteralNode(values=values):
            return any(type(value) is type(v) and value == v for v in values)
    return False


def _image_shape_fits(kind: type, node: Node) -> bool:
    """Whether some value whose image is of type ``kind`` passes the node."""
    match node:
        case AnyNode() | OpaqueNode():
            return True
        case SequenceNode(origin=origin):
            return kind is list and origin in LIST_ORIGINS
        case MappingNode(origin=origin):
            return kind is dict and origin in DICT_ORIGINS
        case TypedDictNode():
            return kind is dict
        case ScalarNode(cls=cls):
            return issubclass(kind, cls) or (cls is float and kind is int)
        case LiteralNode(values=values):
            return any(type(v) is kind for v in values)
    return False


def _is_scalar(value: object) -> bool:
    return type(value) in (NoneType, str, int, bool, float, bytes)


def _bad_key(key: object) -> str:
    return (
        f"has a key of type {type(key).__name__} ({key!r}), which is not JSON-serializable; "
        f"{rule_table.KEY_ADVICE}"
    )


def _too_deep() -> str:
    return (
        f"is nested deeper than the {MAX_DEPTH} levels typed_tasks accepts "
        "(Django's serializer recurses once per level); flatten the data"
    )


def _unserializable(value: object) -> str:
    cls = type(value)
    if isinstance(value, bytes):
        advice = _advice("invalid_utf8", cls)
        return f"is {_a(value)} value that is not valid UTF-8, which Django rejects; {advice}"
    if isinstance(value, int):
        return "is an int with too many digits for JSON (see sys.set_int_max_str_digits)"
    return f"is {_a(value)}, which is not JSON-serializable; {_advice(kind_of_class(cls), cls)}"


def _advice(kind: str, cls: type) -> str:
    return rule_table.advice(kind, f'"{cls.__name__}"', whole=True, subject="value", role="arg")


def _unreadable(value: object, failure: str) -> str:
    return f"is {_a(value)} whose contents cannot be read ({failure}), so Django cannot store it"


def _read_failure(value: object) -> str | None:
    try:
        if isinstance(value, Mapping):
            _mapping_items(value)
        elif isinstance(value, Sequence):
            _sequence_items(value)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def _a(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{_article(name)} {name}"


def _article(name: str) -> str:
    return "an" if name[:1] in "aeioAEIO" else "a"
