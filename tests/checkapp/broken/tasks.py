from tests.task_api import task


@task(takes_context=True)
def no_context(label: str) -> str:
    return label
