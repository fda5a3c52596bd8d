"""Issue 14: ``Store.one_reader()``: the reads of one unit of work (a web request) share one
pooled connection, and still each see everything committed before them.

Counted (connection checkouts), not timed: the figures are in bench/issue14.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.store import Store, login_failures, utcnow


@contextmanager
def checkouts(store: Store) -> Iterator[list[int]]:
    seen: list[int] = []

    def count(dbapi_conn, record, proxy) -> None:  # type: ignore[no-untyped-def]
        seen.append(id(dbapi_conn))

    event.listen(store.engine, "checkout", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "checkout", count)


COUNT = sa.select(sa.func.count()).select_from(login_failures)


def _count(store: Store, snapshot: bool = False) -> int:
    with store.begin(write=False, snapshot=snapshot) as conn:
        return int(conn.execute(COUNT).scalar_one())


def _fail(store: Store, key: str) -> None:
    with store.begin() as conn:
        conn.execute(login_failures.insert().values(key=key, at=utcnow()))


def test_the_reads_of_a_block_share_one_checkout_and_see_every_commit(store: Store) -> None:
    other = Store.from_url(store.url)  # another process's store on the same database
    try:
        with checkouts(store) as seen, store.one_reader():
            assert _count(store) == 0
            _fail(store, "ip:1")  # this thread's own write, on a connection of its own
            assert _count(store, snapshot=True) == 1
            _fail(other, "ip:2")  # committed elsewhere meanwhile
            assert _count(store) == 2
        reads_and_writes = len(seen)
        assert reads_and_writes == 2  # one shared by the three reads, one for the write
        with checkouts(store) as unshared:
            for _ in range(3):
                _count(store)
        assert len(unshared) == 3
    finally:
        other.dispose()


def test_a_nested_read_gets_its_own_connection(store: Store) -> None:
    _fail(store, "ip:1")
    with store.one_reader(), checkouts(store) as seen:
        with store.begin(write=False) as outer:
            assert outer.execute(COUNT).scalar_one() == 1
            assert _count(store) == 1  # while the shared one is busy: its own checkout
        assert _count(store) == 1
    assert len(seen) == 2


def test_a_failed_read_gives_the_shared_connection_up(store: Store) -> None:
    with store.one_reader(), checkouts(store) as seen:
        with pytest.raises(sa.exc.DBAPIError), store.begin(write=False) as conn:
            conn.execute(sa.text("SELECT no_such_column FROM login_failures"))
        assert _count(store) == 0  # a fresh connection, not one left in a failed state
        assert _count(store) == 0
    assert len(seen) == 2


def test_connections_go_back_to_the_pool_as_they_came(store: Store) -> None:
    """After the block, a write transaction on the same pooled connection still rolls back
    (PostgreSQL: the block's autocommit is switched off again)."""
    with store.one_reader():
        _count(store)
    with pytest.raises(RuntimeError), store.begin() as conn:
        conn.execute(login_failures.insert().values(key="ip:9", at=utcnow()))
        raise RuntimeError("rolled back")
    assert _count(store) == 0
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
