"""Keep the plugin's reports out of mypy's overload matching.

mypy picks an overload by checking the call against each item with errors filtered, and
takes the first item that produced no error. Plugin hooks run inside that check, so a
report made there would be thrown away and, worse, make mypy reject a matching item
("No overload variant of "task" matches argument types ..."). The reports describe the
code as written, whichever item mypy picks, so they are recorded past the filters.
Identical reports from several items collapse into one: mypy removes duplicate messages.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from mypy.plugin import CheckerPluginInterface


class _HasApi(Protocol):
    @property
    def api(self) -> CheckerPluginInterface: ...


@contextmanager
def past_overload_filters(api: CheckerPluginInterface) -> Iterator[None]:
    errors = api.msg.errors
    # ``_watchers`` is mypy's stack of error filters; there is no public way to step past it.
    watchers = getattr(errors, "_watchers", None)
    if not isinstance(watchers, list) or not watchers:
        yield
        return
    errors._watchers = []
    try:
        yield
    finally:
        errors._watchers = watchers


def reporting_past_overload_filters[Ctx: _HasApi, Result](
    hook: Callable[[Ctx], Result],
) -> Callable[[Ctx], Result]:
    """``hook`` with its reports recorded past mypy's overload filters."""

    def run(ctx: Ctx) -> Result:
        with past_overload_filters(ctx.api):
            return hook(ctx)

    return run
