"""A project whose only task backends are Django's own, with "typed_tasks" installed."""
