"""The contract of one task with the jobs already queued for it, read from its code.

A job stores the task's module path and its arguments' JSON images, positional and
keyword. What the worker that runs it must still accept: the task at that path, each
parameter by name, kind, default and the image of its annotation, and the
``takes_context`` flag (the context itself is never stored: callers do not pass it).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from typed_tasks.annotations import resolve_annotations
from typed_tasks.rule import ANY, AnyNode, Node, describe_node, parse
from typed_tasks.signatures.images import JSONImage, encode_annotation

if TYPE_CHECKING:
    from django.tasks import Task

Kind = Literal[
    "positional_only", "positional_or_keyword", "keyword_only", "var_positional", "var_keyword"
]
KINDS: dict[inspect._ParameterKind, Kind] = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}
UNANNOTATED = "(no annotation)"


@dataclass(frozen=True)
class Annotation:
    """An annotation as written (for review) and its JSON image (for comparing)."""

    spelled: str
    image: JSONImage


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: Kind
    has_default: bool
    annotation: Annotation

    @property
    def positional(self) -> bool:
        return self.kind in ("positional_only", "positional_or_keyword")

    @property
    def by_keyword(self) -> bool:
        return self.kind in ("positional_or_keyword", "keyword_only")


@dataclass(frozen=True)
class TaskContract:
    module_path: str
    backend: str
    queue: str
    takes_context: bool
    parameters: tuple[Parameter, ...]
    returns: Annotation

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name and not is_var(p)), None)

    def positional(self) -> list[Parameter]:
        return [p for p in self.parameters if p.positional]

    def var(self, kind: Kind) -> Parameter | None:
        return next((p for p in self.parameters if p.kind == kind), None)


def is_var(parameter: Parameter) -> bool:
    return parameter.kind in ("var_positional", "var_keyword")


def task_contract(task: Task[..., Any]) -> TaskContract:
    """The contract of ``task``; an annotation that does not resolve is recorded as unresolved."""
    annotations = resolve_annotations(task.func)
    signature = inspect.signature(task.func)
    parameters = list(signature.parameters.values())
    if task.takes_context and parameters:
        parameters = parameters[1:]  # the context: the worker passes it, callers never do
    return TaskContract(
        module_path=task.module_path,
        backend=task.backend,
        queue=task.queue_name,
        takes_context=task.takes_context,
        parameters=tuple(
            Parameter(
                name=parameter.name,
                kind=KINDS[parameter.kind],
                has_default=parameter.default is not inspect.Parameter.empty,
                annotation=annotation_contract(parameter.name, parameter.annotation, annotations),
            )
            for parameter in parameters
        ),
        returns=annotation_contract("return", signature.return_annotation, annotations),
    )


def annotation_contract(name: str, written: object, resolved: dict[str, object]) -> Annotation:
    if written is inspect.Parameter.empty:
        return Annotation(UNANNOTATED, encode_annotation(ANY))
    if name not in resolved:  # a signature read through __wrapped__ that the resolver did not see
        text = written if isinstance(written, str) else repr(written)
        node: Node = AnyNode(text, unresolved=True)
    else:
        try:
            node = parse(resolved[name])
        except Exception:  # a form the rule does not know: unresolved, never a crash
            node = AnyNode(repr(resolved[name]), unresolved=True)
    spelled = describe_node(node)
    try:
        image = encode_annotation(node)
    except Exception:  # a part the rule cannot walk: unresolved, never a crash
        image = encode_annotation(AnyNode(spelled, unresolved=True))
    return Annotation(spelled, image)
