"""The deploy record: who put which version of a process into use, when, and from where.

A definition row says who deployed it; the record adds *from where* (an uploaded file, an SOP
draft, an edit in the embedded modeler, the command line), how many differences the analyst
saw in the preview, and how many running cases stayed on the older versions. It is written by
:meth:`engine.definitions.Definitions.deploy` in the transaction that inserts the definition
row, so a version never exists without its record (and an identical re-deploy, which creates
no version, writes none).

``source`` is free text with a documented shape: ``upload:<filename>``, ``draft:<id>``,
``modeler:<key>/v<n>``; empty for a deploy that did not say (``alur`` library loading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.status import InstanceStatus
from engine.store import Store, deployments, instances

SOURCE_LIMIT = 500
"""The column's width: a longer source (a very long file name) is cut, never refused."""


@dataclass(frozen=True)
class DeployNote:
    """What the caller of a deploy knows that the engine does not: where the file came from
    and how many differences the preview showed (None: not computed)."""

    source: str = ""
    changes: int | None = None


@dataclass(frozen=True)
class Deployment:
    """One recorded deploy."""

    id: int
    definition_id: int
    process_key: str
    version: int
    at: datetime
    user: str
    source: str
    filename: str
    changes: int | None
    cases_on_previous: int


def record(
    conn: Connection,
    *,
    definition_id: int,
    key: str,
    version: int,
    at: datetime,
    user: str,
    filename: str,
    note: DeployNote,
) -> None:
    """Write the record of a new version, inside the caller's deploy transaction; the
    running cases of the key counted now are the ones that stay on older versions."""
    running = conn.execute(
        sa.select(sa.func.count())
        .select_from(instances)
        .where(instances.c.process_key == key, instances.c.status == InstanceStatus.RUNNING)
    ).scalar_one()
    conn.execute(
        deployments.insert().values(
            definition_id=definition_id,
            process_key=key,
            version=version,
            at=at,
            user=user,
            source=note.source[:SOURCE_LIMIT],
            filename=filename,
            changes=note.changes,
            cases_on_previous=int(running),
        )
    )


def _to_deployment(row: sa.Row[tuple[object, ...]]) -> Deployment:
    return Deployment(
        id=row.id,
        definition_id=row.definition_id,
        process_key=row.process_key,
        version=row.version,
        at=row.at,
        user=row.user,
        source=row.source,
        filename=row.filename,
        changes=row.changes,
        cases_on_previous=row.cases_on_previous,
    )


class Deployments:
    """Reading the deploy records (they are written only by a deploy)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def of_process(self, key: str) -> list[Deployment]:
        """Every recorded deploy of ``key``, newest first."""
        query = (
            sa.select(deployments)
            .where(deployments.c.process_key == key)
            .order_by(deployments.c.version.desc(), deployments.c.id.desc())
        )
        with self.store.begin(write=False) as conn:
            return [_to_deployment(r) for r in conn.execute(query)]
