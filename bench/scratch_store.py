"""A throw-away store for the bench scripts: a SQLite file, or a new schema on a PostgreSQL URL
(so a bench never touches the tables of the database it is pointed at), and its removal."""

from __future__ import annotations

import uuid
from pathlib import Path

from engine.store import Store


def fresh_store(url: str | None, sqlite_file: Path) -> tuple[Store, str | None]:
    """An upgraded store and the schema made for it (``None`` for SQLite)."""
    if url is None:
        store = Store.from_url(f"sqlite:///{sqlite_file}")
        store.upgrade()
        return store, None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    base = Store.from_url(url)
    with base.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    base.dispose()
    sep = "&" if "?" in url else "?"
    store = Store.from_url(f"{url}{sep}options=-csearch_path%3D{schema}")
    store.upgrade()
    return store, schema


def drop_schemas(url: str, schemas: list[str]) -> None:
    """Remove the schemas :func:`fresh_store` made on ``url``."""
    base = Store.from_url(url)
    with base.engine.begin() as conn:
        for schema in schemas:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    base.dispose()
