"""The same project with an app whose task has a parameter JSON cannot carry."""

from tests.ownbackends.settings import *  # noqa: F403
from tests.ownbackends.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.ownbackends.mistakes"]
