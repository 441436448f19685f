"""The changes between the recorded contracts and the code's, each breaking or compatible.

A change is breaking when a job enqueued under the old contract can fail under the new
one: its task path no longer imports, an argument it stores no longer binds (a parameter
removed or renamed, moved, made keyword-only or positional-only, a default dropped, a
required parameter added), or an argument's image no longer fits the parameter that
receives it (``rule.fits`` on the two recorded images: narrowed). Everything else that
differs is compatible, and still reported so that the lock is kept up to date.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from typed_tasks.rule import describe_node, fits, parse
from typed_tasks.signatures.contract import Annotation, Kind, Parameter, TaskContract, is_var
from typed_tasks.signatures.images import decode

AFTER_THE_QUEUE = "until the jobs enqueued before the deploy have run"


@dataclass(frozen=True)
class Change:
    breaking: bool
    task: str  # the module path
    what: str  # 'parameter "x" removed'
    note: str  # why it breaks and what to do instead; or why it is safe

    def render(self) -> str:
        label = "breaking" if self.breaking else "compatible"
        return f'{label}: task "{self.task}": {self.what}\n    note: {self.note}'


def compare(old: Mapping[str, TaskContract], new: Mapping[str, TaskContract]) -> list[Change]:
    """Every change from ``old`` (the lock) to ``new`` (the code), breaking ones first."""
    changes: list[Change] = []
    for path in sorted(old.keys() - new.keys()):
        changes.append(removed_task(path, new))
    for path in sorted(new.keys() - old.keys()):
        changes.append(Change(False, path, "new task", "no job can be queued for it yet"))
    for path in sorted(old.keys() & new.keys()):
        changes.extend(TaskComparison(old[path], new[path]).changes())
    return sorted(changes, key=lambda change: not change.breaking)


def removed_task(path: str, new: Mapping[str, TaskContract]) -> Change:
    name = path.rsplit(".", 1)[-1]
    moved_to = [other for other in new if other.rsplit(".", 1)[-1] == name]
    what = f'moved to "{moved_to[0]}"' if len(moved_to) == 1 else "removed"
    note = (
        f"jobs already queued name it by this path and fail to import it; keep "
        f'"{path}" importable (the function, or an import of it) {AFTER_THE_QUEUE}, '
        "then remove it"
    )
    return Change(True, path, f"task {what}", note)


class TaskComparison:
    def __init__(self, old: TaskContract, new: TaskContract) -> None:
        self.old = old
        self.new = new
        self.path = new.module_path
        self.accounted: set[str] = set()  # new parameters already reported

    def changes(self) -> Iterator[Change]:
        yield from self.settings()
        for parameter in self.old.parameters:
            if is_var(parameter):
                yield from self.variadic(parameter)
            else:
                yield from self.parameter(parameter)
        yield from self.added()
        yield from self.returns()

    def change(self, breaking: bool, what: str, note: str) -> Change:
        return Change(breaking, self.path, what, note)

    def settings(self) -> Iterator[Change]:
        old, new = self.old, self.new
        if old.takes_context != new.takes_context:
            yield self.change(
                False,
                f"takes_context {old.takes_context} -> {new.takes_context}",
                "the context is never stored with a job: the worker passes it",
            )
        for field, before, after in (
            ("backend", old.backend, new.backend),
            ("queue", old.queue, new.queue),
        ):
            if before != after:
                yield self.change(
                    False,
                    f'{field} "{before}" -> "{after}"',
                    f'jobs already queued keep {field} "{before}": keep it configured, with a '
                    f"worker on it, {AFTER_THE_QUEUE}",
                )

    def parameter(self, old: Parameter) -> Iterator[Change]:
        new = self.new.parameter(old.name)
        label = f'parameter "{old.name}"'
        if new is None and old.kind == "positional_only":
            new = self.renamed_to(old)  # callers never name it: only its position counts
            if new is not None:
                yield self.change(
                    False, f'{label} renamed to "{new.name}"', "it is passed by position only"
                )
        if new is None:
            yield from self.missing(old)
            return
        self.accounted.add(new.name)
        if old.positional and self.old_position(old) != self.new_position(new):
            where = (
                f"at position {self.new_position(new) + 1}" if new.positional else "keyword-only"
            )
            yield self.change(
                True,
                f"{label} was at position {self.old_position(old) + 1}, now {where}",
                f"jobs already queued may pass it by position, which now binds to "
                f"{self.bound_at(self.old_position(old))}; keep its position {AFTER_THE_QUEUE}",
            )
        elif old.by_keyword and not new.by_keyword:
            yield self.change(
                True,
                f"{label} is now positional-only",
                f"jobs already queued may pass it by keyword, which no longer binds; keep it "
                f"accepted by keyword {AFTER_THE_QUEUE}",
            )
        elif old.kind != new.kind:
            yield self.change(
                False, f"{label} {spell(old.kind)} -> {spell(new.kind)}", "old calls still bind"
            )
        if old.has_default and not new.has_default:
            yield self.change(
                True,
                f"{label} lost its default",
                f"jobs already queued may leave it out and fail with a TypeError; keep the "
                f"default {AFTER_THE_QUEUE}",
            )
        elif new.has_default and not old.has_default:
            yield self.change(False, f"{label} now has a default", "old calls still bind")
        yield from self.image(label, old.annotation, new.annotation)

    def missing(self, old: Parameter) -> Iterator[Change]:
        """An old parameter with no namesake: removed, renamed, or taken by ``*``/``**``."""
        taker = self.taker(old)
        label = f'parameter "{old.name}"'
        if taker is not None:
            self.accounted.add(taker.name)
            yield self.change(False, f"{label} is now taken by {spell(taker.kind)}", "calls bind")
            yield from self.image(label, old.annotation, taker.annotation)
            return
        renamed = self.renamed_to(old)
        if renamed is not None:
            self.accounted.add(renamed.name)
            what = f'{label} renamed to "{renamed.name}"'
        else:
            what = f"{label} removed"
        yield self.change(
            True,
            what,
            f'jobs already queued pass "{old.name}" and fail with a TypeError; keep '
            f'"{old.name}" (with a default, next to any new name) {AFTER_THE_QUEUE}, then '
            "remove it",
        )

    def taker(self, old: Parameter) -> Parameter | None:
        """The new ``*args`` or ``**kwargs`` that receives every old use of ``old``, if any."""
        var_positional = self.new.var("var_positional")
        var_keyword = self.new.var("var_keyword")
        by_position = not old.positional or (
            var_positional is not None and self.old_position(old) >= len(self.new.positional())
        )
        by_keyword = not old.by_keyword or var_keyword is not None
        if not (by_position and by_keyword):
            return None
        return var_keyword if old.by_keyword else var_positional

    def renamed_to(self, old: Parameter) -> Parameter | None:
        if not old.positional:
            return None
        index = self.old_position(old)
        positional = self.new.positional()
        if index < len(positional) and self.old.parameter(positional[index].name) is None:
            return positional[index]
        return None

    def variadic(self, old: Parameter) -> Iterator[Change]:
        new = self.new.var(old.kind)
        label = spell(old.kind)
        if new is None:
            extra = "positional" if old.kind == "var_positional" else "keyword"
            yield self.change(
                True,
                f"{label} removed",
                f"jobs already queued may pass extra {extra} arguments and fail with a "
                f"TypeError; keep it {AFTER_THE_QUEUE}",
            )
            return
        self.accounted.add(new.name)
        yield from self.image(label, old.annotation, new.annotation)

    def added(self) -> Iterator[Change]:
        old_positional = len(self.old.positional())
        takes_extra = self.old.var("var_positional") is not None
        for new in self.new.parameters:
            if is_var(new) or new.name in self.accounted:
                continue
            label = f'parameter "{new.name}"'
            if not new.has_default:
                yield self.change(
                    True,
                    f"required {label} added",
                    "jobs already queued do not pass it and fail with a TypeError; add it with a "
                    f"default first, and make it required {AFTER_THE_QUEUE}",
                )
            elif new.positional and takes_extra and self.new_position(new) >= old_positional:
                yield self.change(
                    True,
                    f"{label} added before *args",
                    "jobs already queued may pass extra positional arguments, which now bind "
                    "to it; make it keyword-only",
                )
            else:
                yield self.change(False, f"{label} added with a default", "old calls still bind")

    def image(self, label: str, old: Annotation, new: Annotation) -> Iterator[Change]:
        if old == new:
            return
        before, after = describe(old), describe(new)
        if before == after:  # two TypedDicts of one name: spell their items
            before, after = describe(old, named=False), describe(new, named=False)
        if old.image == new.image:
            yield self.change(
                False,
                f'{label} annotation "{old.spelled}" -> "{new.spelled}"',
                f'the same JSON image ("{after}")',
            )
        elif fits(parse(decode(old.image, "old")), parse(decode(new.image, "new"))):
            yield self.change(
                False,
                f'{label} widened from "{before}" to "{after}"',
                f'every value queued as "{before}" still fits',
            )
        else:
            yield self.change(
                True,
                f'{label} narrowed from "{before}" to "{after}"',
                f'jobs already queued may hold values of "{before}", which the task no longer '
                f'declares; accept both ("{before}" and "{after}") and convert the old shape in '
                f"the task {AFTER_THE_QUEUE}, then narrow it",
            )

    def returns(self) -> Iterator[Change]:
        old, new = self.old.returns, self.new.returns
        if old != new:
            yield self.change(
                False,
                f'return type "{old.spelled}" -> "{new.spelled}"',
                "queued jobs do not depend on it; code that reads results stored before the "
                "deploy still gets the old shape",
            )

    def old_position(self, parameter: Parameter) -> int:
        return position(self.old, parameter)

    def new_position(self, parameter: Parameter) -> int:
        return position(self.new, parameter)

    def bound_at(self, index: int) -> str:
        positional = self.new.positional()
        if index < len(positional):
            return f'"{positional[index].name}"'
        return "*args" if self.new.var("var_positional") is not None else "nothing"


def position(contract: TaskContract, parameter: Parameter) -> int:
    """The parameter's index among the contract's positional ones; -1 if keyword-only."""
    return contract.positional().index(parameter) if parameter.positional else -1


def describe(annotation: Annotation, *, named: bool = True) -> str:
    """The image as mypy spells types, read back from the record."""
    return describe_node(parse(decode(annotation.image, "new", named=named)))


def spell(kind: Kind) -> str:
    return {
        "positional_only": "positional-only",
        "positional_or_keyword": "positional-or-keyword",
        "keyword_only": "keyword-only",
        "var_positional": "*args",
        "var_keyword": "**kwargs",
    }[kind]
