"""The example's settings plus the ``reminders`` app, whose tasks have mistakes."""

from examples.project.settings import *  # noqa: F403
from examples.project.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "examples.reminders"]
