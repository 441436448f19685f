"""Keep the plugin's reports out of mypy's overload matching.

mypy picks an overload by checking the call against each item with errors filtered, and
takes the first item that produced no error. Plugin hooks run inside that check, so a
report made there would be thrown away and, worse, make mypy reject a matching item
("No overload variant of "task" matches argument types ..."). The reports describe the
code as written, whichever item mypy picks, so they are recorded past the filters.
Identical reports from several items collapse into one: mypy removes duplicate messages.
"""

from __future__ import annotations

from types import TracebackType

from mypy.errors import ErrorWatcher
from mypy.plugin import CheckerPluginInterface


class past_overload_filters:  # lower case: used like a function, `with past_overload_filters(api):`
    """A context in which ``api``'s reports skip mypy's error filters.

    A class rather than ``@contextmanager``: it runs around every report, and a generator
    context costs several times as much to enter and leave.
    """

    __slots__ = ("_errors", "_watchers")

    def __init__(self, api: CheckerPluginInterface) -> None:
        self._errors = api.msg.errors
        self._watchers: list[ErrorWatcher] | None = None

    def __enter__(self) -> None:
        # ``_watchers`` is mypy's stack of error filters; there is no public way to step past it.
        watchers = getattr(self._errors, "_watchers", None)
        if isinstance(watchers, list) and watchers:
            self._watchers = watchers
            self._errors._watchers = []

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._watchers is not None:
            self._errors._watchers = self._watchers


def in_failed_overload_item(api: CheckerPluginInterface) -> bool:
    """Whether mypy is trying an overload item that has already failed to match this call.

    The innermost error filter has caught an error of the call (an argument that does not
    fit the item): mypy will move on to the next item and throw away what the hook returns.
    A definition hook can return at once; the item that matches calls it again.
    """
    watchers = getattr(api.msg.errors, "_watchers", None)
    return isinstance(watchers, list) and bool(watchers) and watchers[-1].has_new_errors()
