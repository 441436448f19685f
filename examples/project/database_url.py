"""Turn ``DATABASE_URL`` into a Django ``DATABASES`` entry (PostgreSQL only).

Accepted forms: ``postgresql://user:password@host:port/name`` (``postgres://``
too) and, for a unix socket, ``postgresql://user@/name?host=/run/postgresql``.
"""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql"}


def postgres_database(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ValueError(f"DATABASE_URL must start with postgresql://, got {parts.scheme}://")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError("DATABASE_URL names no database (postgresql://host/NAME)")
    query = parse_qs(parts.query)
    host = query.get("host", [unquote(parts.hostname or "")])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
    }
