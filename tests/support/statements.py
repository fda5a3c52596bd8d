"""The statements a store sends, watched where a busy machine cannot blur them (tests that pin
a hot path's statement budget: a regression that adds a query fails there long before a
benchmark notices)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from engine.store import Store


@contextmanager
def sent_statements(store: Store, keep: Callable[[str], None]) -> Iterator[None]:
    """``keep`` called with each statement the store sends inside the block. SQLite: as the
    database itself sees them (the driver's trace callback on every connection checked out),
    so the BEGIN [IMMEDIATE] and COMMIT the store sends around a write come too; PostgreSQL:
    every statement through the engine (psycopg's own BEGIN/COMMIT are not statements there)."""
    if store.dialect != "sqlite":

        def sent(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            keep(sql)

        event.listen(store.engine, "before_cursor_execute", sent)
        try:
            yield
        finally:
            event.remove(store.engine, "before_cursor_execute", sent)
        return
    traced: list[Any] = []

    def trace(dbapi_conn: Any, *_: Any) -> None:
        dbapi_conn.set_trace_callback(keep)
        traced.append(dbapi_conn)

    event.listen(store.engine, "checkout", trace)
    try:
        yield
    finally:
        event.remove(store.engine, "checkout", trace)
        for dbapi_conn in traced:
            dbapi_conn.set_trace_callback(None)
