"""The plugin's one option, read from the mypy configuration file (ini or pyproject.toml).

The plugin has no section of its own: it reuses django-stubs' ``django_settings_module``
so a project configures its settings once::

    [mypy.plugins.django-stubs]          # mypy.ini / setup.cfg
    django_settings_module = mysite.settings

    [tool.django-stubs]                  # pyproject.toml
    django_settings_module = "mysite.settings"

As in django-stubs, a section without the key falls back to ``DJANGO_SETTINGS_MODULE``
from the environment. Without the section, the settings checks (task-backend) are off.
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # mypy itself depends on tomli there
    import tomli as tomllib

INI_SECTION = "mypy.plugins.django-stubs"
SETTINGS_ENV_VAR = "DJANGO_SETTINGS_MODULE"


def read_settings_module(config_file: str | None) -> str | None:
    """The configured ``django_settings_module``; None if unset, or the file is missing or
    unreadable."""
    if not config_file:
        return None
    path = Path(config_file)
    try:
        section = _toml_section(path) if path.suffix.lower() == ".toml" else _ini_section(path)
    except (OSError, UnicodeDecodeError, configparser.Error, tomllib.TOMLDecodeError):
        return None
    if section is None:
        return None
    module = section.get("django_settings_module") or os.environ.get(SETTINGS_ENV_VAR)
    if not isinstance(module, str) or not module.strip("'\" "):
        return None
    return module.strip("'\" ")


def _toml_section(path: Path) -> dict[str, object] | None:
    with path.open("rb") as file:
        data = tomllib.load(file)
    tool = data.get("tool")
    section = tool.get("django-stubs") if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


def _ini_section(path: Path) -> dict[str, object] | None:
    parser = configparser.ConfigParser()
    with path.open(encoding="utf-8") as file:
        parser.read_file(file, source=str(path))
    if not parser.has_section(INI_SECTION):
        return None
    return dict(parser.items(INI_SECTION, raw=True))
