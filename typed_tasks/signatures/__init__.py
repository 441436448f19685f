"""The lock of every task's signature, and the check for changes that break queued jobs.

* ``typed_tasks.signatures.images``: a parameter's JSON image as plain JSON, and back.
* ``typed_tasks.signatures.contract``: the contract of one task, read from its code.
* ``typed_tasks.signatures.compare``: the changes between two sets of contracts.
* ``typed_tasks.signatures.lockfile``: the lock file's format.

``manage.py task_signatures`` (``typed_tasks.management.commands.task_signatures``)
puts them together; docs/deploys.md says what it reports and why.
"""
