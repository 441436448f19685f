"""Never crash mypy, unless asked to.

A crash in a plugin is an ``INTERNAL ERROR`` in the user's CI; a missed report is not. So
the hooks run their checks inside ``contained()``, which swallows what they raise (or, on
the paths run for every hooked call and every task parameter, a plain ``try`` whose
``except Exception`` re-raises only under STRICT_ERRORS: the same rule, without making a
context object each time). The crash and fuzz tests set ``TYPED_TASKS_MYPY_STRICT_ERRORS=1``
to let exceptions through, so a bug shows as a traceback instead of a silently missing
report.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Final

STRICT_ERRORS_VARIABLE: Final = "TYPED_TASKS_MYPY_STRICT_ERRORS"

# Read once, when mypy loads the plugin.
STRICT_ERRORS: Final = os.environ.get(STRICT_ERRORS_VARIABLE) == "1"


class _Contained:
    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        # True swallows the exception: any Exception, unless strict errors are on.
        return isinstance(error, Exception) and not STRICT_ERRORS


def contained() -> _Contained:
    """A context that swallows an exception raised inside it, unless strict errors are on.

    ``with contained(): check(...)``; code after the block runs when the check raised.
    """
    return _Contained()
