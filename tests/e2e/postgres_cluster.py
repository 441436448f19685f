"""A throwaway PostgreSQL server for one test module: a private cluster, no TCP.

It listens only on a unix socket inside its own temporary directory, so it
cannot clash with another server or be reached from the network. initdb
refuses to run as root: as root, the server runs as the ``postgres`` user (or
``nobody``), through ``runuser``.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN_BINARIES = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PostgresServer:
    socket_directory: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_directory}"


def postgres_binaries() -> Path | None:
    """The directory with initdb and pg_ctl: on PATH, or Debian's newest version."""
    if initdb := shutil.which("initdb"):
        return Path(initdb).resolve().parent
    versions = sorted(DEBIAN_BINARIES.glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def why_unavailable() -> str | None:
    """Why a cluster cannot be started here, or None when it can."""
    if postgres_binaries() is None:
        return "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: initdb refuses root"
    return None


def unprivileged_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return pwd.getpwnam("nobody")


def run(command: list[str]) -> None:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}")


@contextmanager
def temporary_postgres() -> Iterator[PostgresServer]:
    binaries = postgres_binaries()
    assert binaries is not None, why_unavailable()
    directory = Path(tempfile.mkdtemp(prefix="typed-tasks-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = unprivileged_user()
        os.chown(directory, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", user.pw_name, "--"]
    data = directory / "data"
    pg_ctl = [*run_as, str(binaries / "pg_ctl"), "--pgdata", str(data), "--silent"]
    try:
        initdb = [str(binaries / "initdb"), "--pgdata", str(data), "--username=postgres"]
        initdb += ["--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"]
        run([*run_as, *initdb])
        # -h '' turns TCP off; -k puts the socket in our directory; -F skips fsync.
        options = f"-h '' -k {directory} -F -c max_connections=30"
        start = ["--log", str(directory / "server.log"), "--options", options, "--wait", "start"]
        run([*pg_ctl, *start])
        try:
            yield PostgresServer(directory)
        finally:
            stop = ["--mode=immediate", "--wait", "stop"]
            subprocess.run([*pg_ctl, *stop], check=False, capture_output=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
