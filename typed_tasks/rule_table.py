"""The rule's data, read by both of its implementations: which classes have no JSON image,
of which kind, and what to do instead for each kind.

The mypy plugin (``mypy_plugin/image.py``) judges mypy types and the runtime
(``typed_tasks/rule/``, ``typed_tasks/validation/``) judges annotations and values; both
look a class up here by the full names of its bases, and both word their advice with
``advice``, so a user gets the same words from ``mypy`` and from ``manage.py check``. The
advice follows what Django does with each kind (``normalize_json``, then ``json.dumps``).
Imported by the plugin at every mypy run: standard library only, no Django.
"""

from __future__ import annotations

from typing import Final

# Base classes without a JSON image, by full name -> kind. Each side walks a class's bases,
# most derived first, and takes the first kind found; names are listed as mypy spells them
# (``typing.AbstractSet``) and as ``module.qualname`` spells them at runtime
# (``collections.abc.Set``).
KIND_BY_CLASS: Final[dict[str, str]] = {
    "datetime.date": "datetime",
    "datetime.time": "datetime",
    "datetime.timedelta": "timedelta",
    "decimal.Decimal": "decimal",
    "uuid.UUID": "uuid",
    "pathlib.PurePath": "path",
    "pathlib._local.PurePath": "path",  # where Python 3.13 defines it
    "os.PathLike": "path",
    "builtins.set": "set",
    "builtins.frozenset": "set",
    "typing.AbstractSet": "set",
    "collections.abc.Set": "set",
    "builtins.complex": "complex",
    "builtins.type": "type",
    "django.db.models.base.Model": "model",
    "django.db.models.query.QuerySet": "queryset",
    "django.db.models.manager.BaseManager": "queryset",
    "pydantic.main.BaseModel": "pydantic",
    "django.utils.functional.Promise": "lazy",
    "django.tasks.base.Task": "class",  # a dataclass, but asdict() would not help
    "django_tasks.base.Task": "class",
    "typing.Iterator": "iterator",
    "typing.Iterable": "iterator",
    "collections.abc.Iterator": "iterator",
    "typing.AsyncIterator": "async_iterator",
    "typing.AsyncIterable": "async_iterator",
    "collections.abc.AsyncIterator": "async_iterator",
    "collections.abc.AsyncIterable": "async_iterator",
    "typing.Awaitable": "awaitable",
    "collections.abc.Awaitable": "awaitable",
    "collections.abc.Callable": "callable",
}

# Annotations that promise only iteration. A parameter so declared receives a list (the
# call site refuses a set or a generator); a return value has no such check, so declared so
# it may be a generator, a set or a QuerySet, which the result store refuses.
ITERATION_ONLY: Final = frozenset(
    {
        "typing.Iterable",
        "typing.Collection",
        "typing.Container",
        "typing.Reversible",
        "collections.abc.Iterable",
        "collections.abc.Collection",
        "collections.abc.Container",
        "collections.abc.Reversible",
    }
)

# Per kind: (what to send instead, with {x} for the value; how the task gets the original
# back). Used when the whole value is the culprit.
CONVERSIONS: Final[dict[str, tuple[str, str]]] = {
    "datetime": ("{x}.isoformat()", "parse it in the task"),
    "timedelta": ("{x}.total_seconds()", "rebuild it with timedelta(seconds=...) in the task"),
    "decimal": ("str({x})", "convert it back with Decimal(...) in the task"),
    "uuid": ("str({x})", "convert it back with UUID(...) in the task"),
    "path": ("str({x})", "convert it back with Path(...) in the task"),
    "set": ("list({x})", "annotate the parameter as a list"),
    "complex": ("[{x}.real, {x}.imag]", "rebuild it with complex(*...) in the task"),
    "iterator": ("list({x})", "annotate the parameter as a list"),
    "async_iterator": ("[item async for item in {x}]", "annotate the parameter as a list"),
    "model": ("{x}.pk", "load it in the task"),
    "queryset": ("a list of primary keys", "query them in the task"),
    "dataclass": ("dataclasses.asdict({x})", "annotate the parameter as a TypedDict"),
    "attrs": ("attrs.asdict({x})", "annotate the parameter as a TypedDict"),
    "pydantic": ("{x}.model_dump(mode='json')", "validate it in the task"),
    "callable": ("the function's dotted path as a str", "import it in the task"),
    "type": ("the class's dotted path as a str", "import it in the task"),
    "lazy": ("str({x})", "annotate the parameter as str"),
    "invalid_utf8": ("base64.b64encode({x}).decode()", "decode it in the task"),
    "enum": (
        "{x}.value",
        "convert it back in the task, or derive the enum from StrEnum or IntEnum",
    ),
}

# Per kind: what to use instead, when the culprit is a part of the type or a return value.
REPLACEMENTS: Final[dict[str, str]] = {
    "datetime": "an ISO 8601 string (.isoformat())",
    "timedelta": "a number of seconds (.total_seconds())",
    "decimal": "a str",
    "uuid": "a str",
    "path": "a str",
    "set": "a list",
    "complex": "a [real, imag] list",
    "iterator": "a list",
    "async_iterator": "a list, collected before enqueueing",
    "awaitable": "the awaited result",
    "model": "its primary key (.pk)",
    "queryset": "a list of primary keys",
    "dataclass": "a TypedDict (dataclasses.asdict())",
    "attrs": "a TypedDict (attrs.asdict())",
    "pydantic": "a dict (.model_dump(mode='json'))",
    "enum": "its .value, or an enum derived from StrEnum or IntEnum",
    "callable": "the function's dotted path as a str",
    "type": "the class's dotted path as a str",
    "lazy": "a plain str (call str() on it)",
    "invalid_utf8": "a base64 str (base64.b64encode(...).decode())",
}

JSON_VALUES: Final = "str, int, float, bool, None, and lists and dicts of them"

# A dict key whose values do not arrive as keys: not a class, a position in a type.
KEY: Final = "key"
KEY_ADVICE: Final = "use str, int, float, bool or None keys"
# Any other class: no kind of its own, no specific advice.
CLASS: Final = "class"


def kind_of(base_names: list[str]) -> str | None:
    """The kind of the first of ``base_names`` (a class's bases, most derived first) that has
    one."""
    for name in base_names:
        kind = KIND_BY_CLASS.get(name)
        if kind is not None:
            return kind
    return None


def advice(kind: str, culprit: str, *, whole: bool, subject: str | None, role: str) -> str:
    """What to do about a value with no JSON image.

    ``culprit`` is the part of its type that has none, spelled and quoted as the caller's
    messages spell types; ``whole``: the culprit is the whole type; ``subject`` names the
    value (a parameter, or an argument's expression), None where there is no name;
    ``role`` is "param", "arg" or "return".
    """
    if kind == KEY:
        return f"dict keys of type {culprit} are not JSON-serializable; {KEY_ADVICE}"
    if whole and role != "return" and subject is not None and kind in CONVERSIONS:
        send, restore = CONVERSIONS[kind]
        return f"pass {send.format(x=subject)} and {restore}"
    replacement = REPLACEMENTS.get(kind)
    if replacement is None:
        return f"only JSON values survive the round trip: {JSON_VALUES}"
    if whole and role == "return":
        return f"return {replacement} instead"
    if whole:
        return f"pass {replacement} instead"
    return f"{culprit} in it is not JSON-serializable; use {replacement} instead"
