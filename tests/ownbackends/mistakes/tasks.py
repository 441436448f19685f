from datetime import datetime

from typed_tasks import task


@task
def remind_at(when: datetime) -> None:
    pass
