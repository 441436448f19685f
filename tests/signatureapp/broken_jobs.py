"""A module of tasks that fails to import."""

from django.tasks import task

raise RuntimeError("the broken_jobs module cannot be imported")


@task
def never(value: int) -> None:
    pass
