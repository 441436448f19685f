"""Every error code the plugin reports, each with the description mypy shows.

Codes are stable: users silence them with ``# type: ignore[code]`` and
``disable_error_code``. All are sub-codes of ``task``, so ``# type: ignore[task]``
silences the whole family.
"""

from __future__ import annotations

from mypy.errorcodes import ErrorCode

TASK = ErrorCode("task", "Django task mistakes found by typed_tasks", "typed_tasks")

TASK_PARAM = ErrorCode(
    "task-param",
    "Task parameter type does not survive the JSON round trip to the worker",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_RETURN = ErrorCode(
    "task-return",
    "Task return type does not survive the JSON round trip to the result store",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_ARG = ErrorCode(
    "task-arg",
    "Argument to enqueue/aenqueue does not arrive in the worker as the parameter declares",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_CONTEXT = ErrorCode(
    "task-context",
    "takes_context and the task's first parameter disagree",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_LOCATION = ErrorCode(
    "task-location",
    "Task function is not a module-level function the worker can import",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_OPTION = ErrorCode(
    "task-option",
    "Invalid task option (priority out of range, run_after in @task, no such task_class field)",
    "typed_tasks",
    sub_code_of=TASK,
)
TASK_BACKEND = ErrorCode(
    "task-backend",
    "Task backend, queue or capability not available in the Django settings",
    "typed_tasks",
    sub_code_of=TASK,
)
