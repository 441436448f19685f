"""An installed app whose tasks exercise every system check of typed_tasks."""
