"""``ALUR_PG_COMMIT_DELAY``: every PostgreSQL session of the store sets ``commit_delay`` and
then ``commit_siblings = 1`` where its role may set ``commit_delay``; a role that may not keeps
the server's settings and works as before; unset, nothing is set; a value PostgreSQL would not
take is a clear error at start-up. Skipped with a message when PostgreSQL cannot be reached."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import COMMIT_DELAY_ENV, Store, commit_delay_setting

from .conftest import PG_DB, PG_SERVER, pg_available, store_of

pytestmark = pytest.mark.postgres


def _settings(store: Store) -> list[tuple[str, str]]:
    """(commit_delay, commit_siblings) of two sessions of the store's pool at once."""
    conns = [store.engine.connect() for _ in range(2)]
    try:
        return [
            tuple(  # type: ignore[misc]
                conn.exec_driver_sql(
                    "SELECT current_setting('commit_delay'), current_setting('commit_siblings')"
                ).one()
            )
            for conn in conns
        ]
    finally:
        for conn in conns:
            conn.close()


def _server_defaults() -> tuple[str, str]:
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT current_setting('commit_delay'), current_setting('commit_siblings')"
        ).fetchone()
    assert row is not None
    return row[0], row[1]


@pytest.fixture
def pg_store_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv(COMMIT_DELAY_ENV, "150")
    with store_of("postgresql", tmp_path) as made:
        yield made


def test_every_session_sets_the_delay_and_one_sibling(pg_store_with: Store) -> None:
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT current_setting('is_superuser')").fetchone()
    if row is None or row[0] != "on":
        pytest.skip("the test's PostgreSQL role is no superuser: it may not set commit_delay")
    assert _settings(pg_store_with) == [("150", "1"), ("150", "1")]


def test_unset_leaves_the_servers_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(COMMIT_DELAY_ENV, raising=False)
    with store_of("postgresql", tmp_path) as store:
        assert _settings(store) == [_server_defaults()] * 2


def test_a_role_that_may_not_keeps_the_servers_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    role = f"alur_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        try:
            admin.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER')
        except psycopg.errors.InsufficientPrivilege:
            pytest.skip("the test's PostgreSQL role may not create roles")
        try:
            monkeypatch.setenv(COMMIT_DELAY_ENV, "150")
            server, _, _ = PG_SERVER.partition("://")
            host = PG_SERVER.split("@", 1)[1]
            store = Store.from_url(f"{server}://{role}@{host}/{PG_DB}")
            try:
                assert _settings(store) == [_server_defaults()] * 2  # and the sessions work
            finally:
                store.dispose()
        finally:
            admin.execute(f'DROP ROLE "{role}"')


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "100001"])
def test_a_value_postgresql_would_not_take_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(COMMIT_DELAY_ENV, value)
    with pytest.raises(ValueError, match=r"ALUR_PG_COMMIT_DELAY.*0-100000"):
        commit_delay_setting()


def test_unset_or_zero_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(COMMIT_DELAY_ENV, " 0 ")
    assert commit_delay_setting() == 0
    monkeypatch.delenv(COMMIT_DELAY_ENV)
    assert commit_delay_setting() == 0
    monkeypatch.setenv(COMMIT_DELAY_ENV, "200")
    assert commit_delay_setting() == 200
