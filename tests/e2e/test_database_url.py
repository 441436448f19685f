"""The example's DATABASE_URL parsing: what each form of URL connects to."""

import pytest

from examples.project.database_url import postgres_database


def test_a_tcp_url_gives_every_connection_field() -> None:
    database = postgres_database("postgresql://app:s%40cret@db.internal:5433/notifier")

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "notifier",
        "USER": "app",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "5433",
    }


def test_a_socket_directory_in_the_query_is_the_host() -> None:
    database = postgres_database("postgres://postgres@/notifier?host=/run/postgresql")

    assert (database["HOST"], database["PORT"], database["USER"]) == (
        "/run/postgresql",
        "",
        "postgres",
    )


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("mysql://app@db/notifier", "must start with postgresql://"),
        ("postgresql://app@db/", "names no database"),
    ],
)
def test_a_url_that_is_not_postgresql_is_refused(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        postgres_database(url)
