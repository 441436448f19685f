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

from typed_tasks.validation.binding import validate_arguments
from typed_tasks.validation.checkers import MAX_DEPTH
from typed_tasks.validation.errors import TaskArgumentError

__all__ = ["MAX_DEPTH", "TaskArgumentError", "validate_arguments"]
