"""Tasks outside the ``tasks`` module, made by the decorator under another name."""

from django.tasks import task as background


@background(queue_name="default")
def archive(ids: list[int]) -> int:
    return len(ids)
