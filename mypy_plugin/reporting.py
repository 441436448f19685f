"""Keep the plugin's reports out of mypy's overload matching.

mypy picks an overload by checking the call against each item with errors filtered, and
takes the first item that produced no error. Plugin hooks run inside that check, so a
report made there would be thrown away and, worse, make mypy reject a matching item
("No overload variant of "task" matches argument types ..."). The reports describe the
code as written, whichever item mypy picks, so they are recorded past the filters.
Identical reports from several items collapse into one: mypy removes duplicate messages.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from mypy.plugin import CheckerPluginInterface


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
