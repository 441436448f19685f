from django.tasks import task


@task
def send(to: str, count: int = 1) -> None:
    pass
