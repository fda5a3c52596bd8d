"""The runtime's read side: inboxes, task lists, instances, history, element status.

Why apart from the commands: reads never lock and, except for the two single-instance
pages (:meth:`Queries.element_status`, :meth:`Queries.check_consistency`), never deserialize
a workflow; they are indexed queries on the ``tasks`` table the commands keep in step with
each instance's state.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.analysis import Analysis
from engine.definitions import DEFINITION_ROWS, Definitions
from engine.errors import BadInput
from engine.notifications import unread_count_query
from engine.records import (
    AtLeast,
    AuditEntry,
    ElementStatus,
    Instance,
    TaskRow,
    instance_query,
    instance_row,
    reader_roles,
    task_row,
    to_audit,
    to_instance,
    to_task,
)
from engine.returns import DONE_COLUMNS, ENDED, ReturnedWork, ended_of_cases, returned_work
from engine.serializer import WorkflowCodec
from engine.status import ElementState, InstanceStatus, TaskState
from engine.store import DriverQuery, Store, audit, instances, tasks, users
from engine.store import definitions as definition_rows

INBOX_FILTERS = ("all", "mine", "roles", "overdue")
INBOX_ORDERS: dict[str, tuple[str, ...]] = {
    "due": ("due_order", "created", "id"),  # undated last, then the oldest
    "received": ("created", "id"),  # first come, first served
    "process": ("process_name", "due_order", "created", "id"),
}
"""The inbox's sort orders (``tasks`` columns); each ends in ``id``, so a page is stable."""


@dataclass(frozen=True)
class DeskCounts:
    """What the header of every page counts for one user: the inbox badges (each possibly
    an :class:`~engine.records.AtLeast`) and the bell's unread notifications."""

    all: int
    mine: int
    overdue: int
    unread: int
    definition_rows: int | None = field(default=None, compare=False)
    """The process list's stamp (:data:`engine.definitions.DEFINITION_ROWS`) read in the same
    statement, for :meth:`engine.definitions.Definitions.list` (None: not read). Not a count
    the header shows, so two reads of the same counts compare equal whatever it is."""


@dataclass(frozen=True)
class InboxPage:
    """One inbox page, its total, and (when asked for) the page header's counts and the
    page's returned work (:mod:`engine.returns`, by task id), read together
    (:meth:`Queries.inbox_and_counts`)."""

    rows: list[TaskRow]
    total: int
    counts: DeskCounts | None = None
    returned: Mapping[str, ReturnedWork] = field(default_factory=dict)


@dataclass(frozen=True)
class _PagePlan:
    """One page read as :meth:`Queries._task_page` sends it: the statements' shape (their
    cache key), the bound values, and the cap its total counts to (None: exact)."""

    shape: tuple[Any, ...]
    params: dict[str, Any]
    cap: int | None

    def total(self, counted: int) -> int:
        return AtLeast(self.cap) if self.cap is not None and counted > self.cap else counted


class Queries:
    """Read models over the store; each method is one read-only transaction."""

    def __init__(
        self,
        store: Store,
        definitions: Definitions,
        codec: WorkflowCodec,
        clock: Callable[[], datetime],
        count_limit: int | None = None,
    ) -> None:
        self.store = store
        self.definitions = definitions
        self.codec = codec
        self.clock = clock
        self.count_limit = count_limit
        """Counts stop past this many (None: exact); the web UI shows "1000+"."""
        self._statements: dict[tuple[Any, ...], Any] = {}

    def _to_task(self, row: Any, now: datetime) -> TaskRow:
        return to_task(row, self.definitions.meta(row.definition_id).task(row.element_id), now)

    # -- tasks -----------------------------------------------------------------------------

    def task(self, task_id: str) -> TaskRow:
        with self.store.begin(write=False, snapshot=False) as conn:
            return self._to_task(task_row(conn, str(task_id)), self.clock())

    def tasks(
        self,
        *,
        roles: Iterable[str] | None = None,
        user: str | None = None,
        include_unassigned_of_roles: bool = True,
        state: str = TaskState.READY,
        overdue: bool = False,
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[TaskRow]:
        """Tasks from the task table only, by due date (undated last), then creation.

        ``roles`` only: every task of those lanes; ``user`` only: tasks assigned to the user;
        both: the user's tasks plus (when ``include_unassigned_of_roles``) unclaimed tasks of
        the roles. Each branch is an index range scan, merged with UNION ALL, so the cost does
        not grow with the number of open instances.
        """
        now = self.clock()
        rows, _ = self._task_page(
            roles=None if roles is None else tuple(roles),
            user=user,
            unassigned_only=user is not None,
            include_roles=include_unassigned_of_roles or user is None,
            state=state,
            overdue=overdue,
            process_key=process_key,
            search=search,
            limit=limit,
            offset=offset,
            now=now,
            count=False,
        )
        return [self._to_task(r, now) for r in rows]

    def _task_page(self, *, roles: tuple[str, ...] | None, user: str | None,
                   unassigned_only: bool, include_roles: bool, state: str, overdue: bool,
                   process_key: str | None, search: str | None, limit: int, offset: int,
                   now: datetime, count: bool, conn: Connection | None = None,
                   order: str = "due") -> tuple[list[Any], int]:  # fmt: skip
        """One page of task rows and (with ``count``) the total, one UNION ALL branch per
        index range: the user's own tasks, then each role's (unclaimed) tasks.

        The statements are built once per shape (how many roles, which filters) and cached;
        the values go in as bound parameters. With :attr:`count_limit` the total counts at
        most that many rows per branch (index-only, bounded) and a larger total comes back as
        :class:`~engine.records.AtLeast`."""
        plan = self._page_plan(roles=roles, user=user, unassigned_only=unassigned_only,
                               include_roles=include_roles, state=state, overdue=overdue,
                               process_key=process_key, search=search, limit=limit,
                               offset=offset, now=now, count=count, order=order)  # fmt: skip
        return self._read_page(plan, conn) if plan is not None else ([], 0)

    def _read_page(self, plan: _PagePlan, conn: Connection | None) -> tuple[list[Any], int]:
        """The rows and total of a :meth:`_task_page` read, in ``conn`` (else a read of its
        own)."""
        page_query, count_query = self._page_statements(plan.shape)
        with contextlib.ExitStack() as stack:
            if conn is None:
                conn = stack.enter_context(self.store.begin(write=False))
            rows = page_query.all(conn, plan.params) if page_query is not None else []
            total = 0
            if count_query is not None:  # one round trip: a count per branch, summed here
                total = sum(int(r.n) for r in count_query.all(conn, plan.params))
        return rows, plan.total(total)

    def _page_plan(self, *, roles: tuple[str, ...] | None, user: str | None,
                   unassigned_only: bool, include_roles: bool, state: str, overdue: bool,
                   process_key: str | None, search: str | None, limit: int, offset: int,
                   now: datetime, count: bool, order: str) -> _PagePlan | None:  # fmt: skip
        """The shape and values of a :meth:`_task_page` read (None: it reads nothing, a user
        with no roles asking for their roles' tasks). ``role_{i}`` is ``roles[i]``, as in the
        header's counts (:meth:`_badge_columns`), so the two can share one statement."""
        role_list = list(roles) if roles is not None and include_roles else []
        everything = roles is None and user is None
        if not everything and user is None and not role_list:
            return None
        shape = (len(role_list), user is not None, everything, unassigned_only, overdue,
                 bool(process_key), bool(search), limit > 0, count,
                 self.count_limit is not None, order)  # fmt: skip
        params: dict[str, Any] = {"state": state, "now": now, "user": user,
                                  "process_key": process_key, "limit": limit,
                                  "offset": offset, "window": offset + limit}  # fmt: skip
        for i, role in enumerate(role_list):
            params[f"role_{i}"] = role
        if search:
            params["like"] = f"%{search.strip()}%"
        cap = None
        if self.count_limit is not None:  # never less than what the pages shown need
            cap = max(self.count_limit, offset + 10 * max(limit, 1))
        params["cap"] = (cap + 1) if cap is not None else None
        return _PagePlan(shape, params, cap)

    def _page_statements(self, shape: tuple[Any, ...]) -> tuple[Any, Any]:
        """The (page, count) statements of one query shape, built on first use. Why through
        the driver's kept cursor (:class:`~engine.store.DriverQuery`): the page is read on
        every inbox visit, its rows made without SQLAlchemy's result machinery."""
        found = self._statements.get(shape)
        if found is not None:
            return found
        page_query, counts = self._page_selects(shape)
        count_query: Any = None
        if counts is not None:
            selects = [sa.select(c.label("n")) for c in counts]
            count_query = selects[0] if len(selects) == 1 else sa.union_all(*selects)
        found = (
            DriverQuery(page_query) if page_query is not None else None,
            DriverQuery(count_query) if count_query is not None else None,
        )
        self._statements[shape] = found
        return found

    def _page_selects(self, shape: tuple[Any, ...]) -> tuple[Any, list[Any] | None]:
        """The page's SELECT (None: not paged) and (when counted) one scalar count per
        branch, to be summed, of one query shape."""
        (n_roles, has_user, everything, unassigned_only, overdue, has_key, has_search,
         paged, count, capped, order_key) = shape  # fmt: skip
        common: list[Any] = [tasks.c.state == sa.bindparam("state")]
        if overdue:
            common.append(tasks.c.due_order < sa.bindparam("now"))
        if has_key:
            common.append(tasks.c.process_key == sa.bindparam("process_key"))
        if has_search:
            like: Any = sa.bindparam("like")
            common.append(
                sa.or_(
                    tasks.c.name.ilike(like),
                    tasks.c.instance_title.ilike(like),
                    tasks.c.business_key.ilike(like),
                    tasks.c.process_name.ilike(like),
                )
            )
        branches: list[list[Any]] = []
        if everything:
            branches.append([])
        if has_user:
            branches.append([tasks.c.assignee == sa.bindparam("user")])
        for i in range(n_roles):
            cond: list[Any] = [tasks.c.role == sa.bindparam(f"role_{i}")]
            if unassigned_only:
                cond.append(tasks.c.assignee.is_(None))
            branches.append(cond)
        order = tuple(tasks.c[name] for name in INBOX_ORDERS[order_key])
        limit: Any = sa.bindparam("limit")
        offset: Any = sa.bindparam("offset")
        page_query: Any = None
        if paged and len(branches) == 1:
            page_query = (
                sa.select(tasks).where(*common, *branches[0]).order_by(*order)
                .limit(limit).offset(offset)
            )  # fmt: skip
        elif paged:
            parts = [
                sa.select(
                    sa.select(tasks)
                    .where(*common, *b)
                    .order_by(*order)
                    .limit(sa.bindparam("window"))
                    .subquery()
                )
                for b in branches
            ]
            merged = sa.union_all(*parts).subquery()
            page_query = (
                sa.select(merged)
                .order_by(*(merged.c[name] for name in INBOX_ORDERS[order_key]))
                .limit(limit)
                .offset(offset)
            )
        counts = [_capped_count([*common, *b], capped) for b in branches] if count else None
        return page_query, counts

    def inbox(
        self,
        user: str,
        *,
        filter: str = "all",
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "due",
    ) -> tuple[list[TaskRow], int]:
        """What is on ``user``'s desk: unclaimed tasks of their roles plus tasks assigned to them.

        ``filter``: "all", "mine" (assigned to me), "roles" (unclaimed of my roles), "overdue";
        ``sort``: one of :data:`INBOX_ORDERS`.
        Returns (page, total); the user, the page and the total are read in one transaction.
        """
        page = self._inbox(user, filter, process_key, search, limit, offset, sort, None)
        return page.rows, page.total

    def inbox_and_counts(
        self,
        user: str,
        *,
        filter: str = "all",
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "due",
        unread_limit: int = 99,
    ) -> InboxPage:
        """:meth:`inbox`, :meth:`count_desk` (the page header's counts, with the process
        list's stamp) and the page's returned work (:mod:`engine.returns`), on PostgreSQL in
        one statement (:meth:`_desk_page_statement`: one round trip for all the inbox page
        reads), on SQLite in one read transaction (:meth:`_inbox_apart`); either way the
        badges agree with the page. The unfiltered inbox's total is the "all" badge, so there
        the page's own count is not read at all."""
        return self._inbox(user, filter, process_key, search, limit, offset, sort, unread_limit)

    def _inbox(
        self,
        user: str,
        filter: str,
        process_key: str | None,
        search: str | None,
        limit: int,
        offset: int,
        sort: str,
        unread_limit: int | None,
    ) -> InboxPage:
        if filter not in INBOX_FILTERS:
            raise BadInput(f"Filter tidak dikenal: {filter}")
        if sort not in INBOX_ORDERS:
            raise BadInput(f"Urutan tidak dikenal: {sort} (pilihan: {', '.join(INBOX_ORDERS)})")
        now = self.clock()
        # the "all" badge counts exactly the unfiltered inbox, with the same cap as long as
        # the page is within the badge's limit (deeper pages count further: see _task_page)
        within_badge = self.count_limit is None or self.count_limit >= offset + 10 * max(limit, 1)
        total_is_badge = (
            unread_limit is not None
            and filter == "all"
            and not process_key
            and not search
            and within_badge
        )
        # with the counts, the page is one statement on PostgreSQL: its own snapshot, no
        # transaction; without (or on SQLite, read apart), the reads share one
        apart = self.store.dialect == "sqlite"
        with self.store.begin(write=False, snapshot=unread_limit is None or apart) as conn:
            roles = reader_roles(conn, user)
            plan = self._page_plan(
                roles=None if filter == "mine" else roles,
                user=None if filter == "roles" else user,
                unassigned_only=True,
                include_roles=True,
                state=TaskState.READY,
                overdue=filter == "overdue",
                process_key=process_key,
                search=search,
                limit=limit,
                offset=offset,
                now=now,
                count=not total_is_badge,
                order=sort,
            )
            if unread_limit is None:
                rows, total = self._read_page(plan, conn) if plan is not None else ([], 0)
                return InboxPage([self._to_task(r, now) for r in rows], total)
            if plan is None:  # no page to read: the header's counts alone
                return InboxPage([], 0, self._count_header(user, unread_limit, conn=conn, now=now))
            if apart:
                return self._inbox_apart(plan, conn, user, unread_limit, now, total_is_badge)
            # the shared names mean the same: state and now; user where the page reads it
            params = {**plan.params, **self._badge_params(user, roles, unread_limit, now)}
            query, n_totals = self._desk_page_statement(plan.shape, len(roles))
            found = query.all(conn, params)
        head = found[0]  # the one row of the header's counts, whatever the page holds
        desk = self._desk_counts(head, len(roles), bell=True)
        if total_is_badge:
            total = desk.all
        else:  # the page's own count, a count per branch after the header's
            width = _head_width(len(roles), bell=True)
            total = plan.total(sum(int(n) for n in head[width : width + n_totals]))
        listed = found if limit > 0 else []  # no page asked for: the head alone
        tasks_shown = [self._to_task(r, now) for r in listed if r.part == _SHOWN]
        done = [r for r in listed if r.part == _DONE]
        returned = returned_work(tasks_shown, done, self.definitions.meta) if done else {}
        return InboxPage(tasks_shown, total, desk, returned)

    def _inbox_apart(self, plan: _PagePlan, conn: Connection, user: str, unread_limit: int,
                     now: datetime, total_is_badge: bool) -> InboxPage:  # fmt: skip
        """:meth:`inbox_and_counts` as three reads in one transaction (the page and its own
        count, the header's counts, the page's cases' ended tasks), for SQLite.

        Why not the one statement there: a statement costs SQLite no round trip, and its
        planner took ~12 ms for the joined statement with 100 000 open tasks in the user's
        lanes (``bench/issue14.py --only inbox``), where each part alone takes ~0.1 ms."""
        rows, total = self._read_page(plan, conn)
        desk = self._count_header(user, unread_limit, conn=conn, now=now)
        shown = [self._to_task(r, now) for r in rows]
        done = ended_of_cases(conn, {t.instance_id for t in shown}) if shown else []
        returned = returned_work(shown, done, self.definitions.meta) if done else {}
        return InboxPage(shown, desk.all if total_is_badge else total, desk, returned)

    def _desk_page_statement(self, shape: tuple[Any, ...], n_roles: int
                             ) -> tuple[DriverQuery, int]:  # fmt: skip
        """The inbox page's one statement: a one-row head (the header's counts as
        :meth:`_badge_columns` has them, then the page's own count per branch when it counts
        itself) LEFT JOINed (ON true, so an empty page still has its counts) to the page's
        rows and, after them, the ended tasks of the page's cases (for the returned work), the
        page kept as a CTE so it is read once. Each row says which it is in ``part``; the outer
        ORDER BY keeps the page's order, and the cases' completed tasks in
        :func:`engine.returns.returned_work`'s (completion, then id: ``done_at``, with the
        page's other sort keys left NULL in their rows).

        Why one statement: the page, the counts and the returned work were three round trips
        on PostgreSQL (~0.25 ms each here), on every inbox visit. Built once per shape;
        given with the number of the page's own counts in the head."""
        key = ("desk page", shape, n_roles)
        found = self._statements.get(key)
        if found is not None:
            return found
        order_key = shape[-1]
        page, counts = self._page_selects(shape)
        head_columns = self._badge_columns(n_roles, bell=True)
        head_columns += [c.label(f"total_{i}") for i, c in enumerate(counts or [])]
        head = sa.select(*head_columns).subquery("head")
        if page is None:
            query: Any = sa.select(head)
        else:
            shown = page.cte("page")
            # a completed task's columns that returned_work reads, and its id; the rest
            # (the page's other sort keys among them) NULL
            kept = {*DONE_COLUMNS, "id"}
            # the ended tasks of the page's cases, by the cases' index (engine.returns.ENDED)
            cases = sa.select(shown.c.instance_id).distinct().subquery("cases")
            rows = sa.union_all(
                sa.select(sa.literal_column(str(_SHOWN)).label("part"),
                          sa.null().label("done_at"),
                          *(shown.c[c.name] for c in tasks.c)),
                sa.select(sa.literal_column(str(_DONE)), tasks.c.completed,
                          *(c if c.name in kept else sa.null().label(c.name)
                            for c in tasks.c))
                .select_from(cases.join(tasks, tasks.c.instance_id == cases.c.instance_id))
                .where(ENDED),
            ).subquery("listed")  # fmt: skip
            # the sort keys only sorted by: a due date's text made a datetime again costs
            # about 2 µs a row on SQLite, and no TaskRow holds ``due_order``
            query = (
                sa.select(head, *(c for c in rows.c if c.name not in ("done_at", "due_order")))
                .select_from(head.outerjoin(rows, sa.true()))
                .order_by(rows.c.part, rows.c.done_at,
                          *(rows.c[name] for name in INBOX_ORDERS[order_key]))
            )  # fmt: skip
        found = self._statements[key] = (DriverQuery(query), len(counts or []))
        return found

    def count_inbox(self, user: str) -> dict[str, int]:
        """Badge counts of :meth:`inbox` ("all", "mine", "overdue") in one round trip.

        One pair of counts per index range (my tasks; unclaimed tasks of each role), its rows
        and its overdue rows, each a scalar subquery of one row: an OR over the ranges would
        make SQLite walk every ready task. With :attr:`count_limit` each count stops there (an
        index range read of at most that many entries) and a count that reached it is an
        :class:`~engine.records.AtLeast`.
        """
        counts = self._count_header(user, None)
        return {"all": counts.all, "mine": counts.mine, "overdue": counts.overdue}

    def count_desk(self, user: str, unread_limit: int) -> DeskCounts:
        """What the header of every page counts for ``user``, in one statement: the badges
        of :meth:`count_inbox` and the unread in-app notifications up to ``unread_limit``
        (the bell; ``unread_limit + 1`` means "more", as
        :meth:`engine.notifications.Notifications.unread_count` counts them), with the
        process list's stamp (:attr:`DeskCounts.definition_rows`)."""
        return self._count_header(user, unread_limit)

    def _count_header(
        self,
        user: str,
        unread_limit: int | None,
        *,
        conn: Connection | None = None,
        now: datetime | None = None,
    ) -> DeskCounts:
        now = now or self.clock()
        with contextlib.ExitStack() as stack:
            if conn is None:
                conn = stack.enter_context(self.store.begin(write=False, snapshot=False))
            roles = reader_roles(conn, user)
            query = self._badge_statement(len(roles), bell=unread_limit is not None)
            row = query.first(conn, self._badge_params(user, roles, unread_limit, now))
        return self._desk_counts(row, len(roles), bell=unread_limit is not None)

    def _badge_params(self, user: str, roles: Sequence[str], unread_limit: int | None,
                      now: datetime) -> dict[str, Any]:  # fmt: skip
        cap = self.count_limit
        params: dict[str, Any] = {"state": TaskState.READY, "user": user, "now": now,
                                  "badge_cap": (cap + 1) if cap is not None else None}  # fmt: skip
        if unread_limit is not None:
            params["bell_cap"] = unread_limit + 1
        for i, role in enumerate(roles):
            params[f"role_{i}"] = role
        return params

    def _desk_counts(self, row: Sequence[Any], n_roles: int, *, bell: bool) -> DeskCounts:
        """The header's counts from the first columns of ``row`` (:meth:`_badge_columns`)."""
        found = [int(v) for v in row[: _head_width(n_roles, bell=bell)]]
        ranges = n_roles + 1  # the user's own tasks, then each role's unclaimed ones
        counts = {
            "all": sum(found[0 : 2 * ranges : 2]),
            "mine": found[0],
            "overdue": sum(found[1 : 2 * ranges : 2]),
        }
        cap = self.count_limit
        if cap is not None:
            counts = {k: AtLeast(cap) if v > cap else v for k, v in counts.items()}
        if not bell:
            return DeskCounts(unread=0, **counts)
        unread, definition_rows = found[2 * ranges :]
        return DeskCounts(unread=unread, definition_rows=definition_rows, **counts)

    def _badge_statement(self, n_roles: int, *, bell: bool = False) -> DriverQuery:
        """The header's counts as one row (:meth:`_badge_columns`).

        Why one row rather than a row per range: a one-row read goes through the driver's
        own cursor (:class:`~engine.store.DriverQuery`), not SQLAlchemy's execute and
        result, and this statement is on every page (the inbox, and every other page's
        header)."""
        key = ("badges", n_roles, self.count_limit is not None, bell)
        found = self._statements.get(key)
        if found is None:
            found = self._statements[key] = DriverQuery(
                sa.select(*self._badge_columns(n_roles, bell=bell))
            )
        return found

    def _badge_columns(self, n_roles: int, *, bell: bool) -> list[Any]:
        """The header's counts: ``n_0, late_0`` (the user's own tasks), then ``n_i, late_i``
        for each role's unclaimed tasks (``role_{i}``); with ``bell``, then ``unread`` (the
        bell) and ``definition_rows`` (the process list's stamp: every page reads this
        statement, so a page that lists the processes needs no read of its own to know its
        list current, :meth:`engine.definitions.Definitions.list`)."""
        capped = self.count_limit is not None
        ready = tasks.c.state == sa.bindparam("state")
        late = tasks.c.due_order < sa.bindparam("now")
        mine = tasks.c.assignee == sa.bindparam("user")
        ranges: list[list[Any]] = [[ready, mine]]
        ranges += [
            [ready, tasks.c.role == sa.bindparam(f"role_{i}"), tasks.c.assignee.is_(None)]
            for i in range(n_roles)
        ]
        columns: list[Any] = []
        for i, cond in enumerate(ranges):
            columns += [_capped_count(cond, capped, "badge_cap").label(f"n_{i}"),
                        _capped_count([*cond, late], capped, "badge_cap")
                        .label(f"late_{i}")]  # fmt: skip
        if bell:
            unread = unread_count_query(sa.bindparam("user"),
                                        sa.bindparam("bell_cap", type_=sa.Integer))  # fmt: skip
            columns.append(unread.scalar_subquery().label("unread"))
            columns.append(DEFINITION_ROWS.label("definition_rows"))
        return columns

    # -- instances -------------------------------------------------------------------------

    def instance(self, instance_id: int) -> Instance:
        with self.store.begin(write=False, snapshot=False) as conn:
            row = instance_row(conn, instance_id, instance_query())
        return to_instance(row)

    def instances(
        self,
        *,
        process_key: str | None = None,
        status: str | None = None,
        overdue: bool = False,
        search: str | None = None,
        scope: InstanceScope | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Instance], int]:
        """A page of instances, newest first, and the total matching.

        ``search`` matches the case number ("12" or "#12"), title, business key, process name
        and the starter's user or display name; ``scope`` limits the cases to those one user
        may see, in the query itself, so the total counts what the page can show.
        """
        conds: list[Any] = []
        if search and search.strip():
            conds.append(_instance_search(search.strip()))
        if scope is not None:
            conds.append(
                sa.or_(
                    instances.c.started_by == scope.username,
                    instances.c.definition_id.in_(sorted(scope.definition_ids)),
                )
            )
        if process_key:
            conds.append(instances.c.process_key == process_key)
        if status:
            conds.append(instances.c.status == status)
        if overdue:
            late = (
                sa.select(tasks.c.id)
                .where(
                    tasks.c.instance_id == instances.c.id,
                    tasks.c.state == TaskState.READY,
                    tasks.c.due_order < self.clock(),
                )
                .exists()
            )
            conds.append(late)
        query = instance_query().where(*conds).order_by(instances.c.id.desc())
        with self.store.begin(write=False) as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
            total = conn.execute(
                sa.select(sa.func.count())
                .select_from(
                    instances.join(
                        definition_rows, definition_rows.c.id == instances.c.definition_id
                    )
                )
                .where(*conds)
            ).scalar_one()
        return [to_instance(r) for r in rows], int(total)

    def instance_tasks(self, instance_id: int) -> list[TaskRow]:
        """All task rows of one instance, oldest first (for the instance page)."""
        with self.store.begin(write=False, snapshot=False) as conn:
            rows = conn.execute(
                sa.select(tasks)
                .where(tasks.c.instance_id == instance_id)
                .order_by(tasks.c.created, tasks.c.id)
            ).all()
        now = self.clock()
        return [self._to_task(r, now) for r in rows]

    def history(self, instance_id: int) -> list[AuditEntry]:
        with self.store.begin(write=False) as conn:
            instance_row(conn, instance_id, sa.select(instances.c.id))  # NotFound when unknown
            rows = conn.execute(
                sa.select(audit).where(audit.c.instance_id == instance_id).order_by(audit.c.id)
            ).all()
        return [to_audit(r) for r in rows]

    # -- one instance's workflow -----------------------------------------------------------

    def element_status(self, instance_id: int) -> dict[str, ElementStatus]:
        """Per BPMN element: completed (with how often, for loops), active, or not reached.

        Reads one instance's serialized state (a single-instance page, never a list).
        """
        from SpiffWorkflow.util.task import TaskState as SpiffState

        with self.store.begin(write=False) as conn:
            row = instance_row(
                conn,
                instance_id,
                sa.select(instances.c.state, instances.c.status, instances.c.definition_id),
            )
        meta = self.definitions.meta(row.definition_id)
        counts: dict[str, int] = dict.fromkeys(meta.elements, 0)
        active: set[str] = set()
        workflow = self.codec.load(row.state)
        running = row.status == InstanceStatus.RUNNING
        for task in workflow.get_tasks():
            bpmn_id = getattr(task.task_spec, "bpmn_id", None)
            if bpmn_id is None:
                continue
            if task.state == SpiffState.COMPLETED:
                counts[bpmn_id] = counts.get(bpmn_id, 0) + 1
            elif running and _is_active(task, meta):
                active.add(bpmn_id)
        out: dict[str, ElementStatus] = {}
        for bpmn_id, n in counts.items():
            if bpmn_id in active:
                state = ElementState.ACTIVE
            else:
                state = ElementState.COMPLETED if n else ElementState.NOT_REACHED
            out[bpmn_id] = ElementStatus(state=state, count=n)
        for bpmn_id in active - set(out):
            out[bpmn_id] = ElementStatus(state=ElementState.ACTIVE, count=0)
        return out

    def check_consistency(self, instance_id: int) -> list[str]:
        """Differences between the task table and the serialized state (empty: consistent)."""
        from SpiffWorkflow.util.task import TaskState as SpiffState

        with self.store.begin(write=False) as conn:
            inst = conn.execute(sa.select(instances).where(instances.c.id == instance_id)).one()
            rows = {
                r.id
                for r in conn.execute(
                    sa.select(tasks.c.id).where(
                        tasks.c.instance_id == instance_id, tasks.c.state == TaskState.READY
                    )
                )
            }
        workflow = self.codec.load(inst.state)
        ready = set()
        if inst.status == InstanceStatus.RUNNING:
            ready = {str(t.id) for t in workflow.get_tasks(state=SpiffState.READY, manual=True)}
        problems = [f"tugas {t} siap di proses tetapi tidak di tabel" for t in ready - rows]
        problems += [f"tugas {t} siap di tabel tetapi tidak di proses" for t in rows - ready]
        if inst.status == InstanceStatus.COMPLETED and not workflow.is_completed():
            problems.append("instansi berstatus selesai tetapi prosesnya belum selesai")
        return problems


def _capped_count(conditions: list[Any], capped: bool, cap: str = "cap") -> Any:
    """``count(*)`` of the task rows matching ``conditions``; ``capped``: reading at most
    ``:<cap>`` rows (an index range of bounded length, whatever the table holds). The
    header's counts and a page's own count stop at different caps (``badge_cap``, ``cap``),
    and the inbox sends both in one statement."""
    if not capped:
        return sa.select(sa.func.count()).where(*conditions).scalar_subquery()
    inner = sa.select(sa.literal(1).label("one")).where(*conditions).limit(sa.bindparam(cap))
    return sa.select(sa.func.count()).select_from(inner.subquery()).scalar_subquery()


_SHOWN, _DONE = 0, 1
"""``part`` of a row of the inbox's one statement: a task of the page, or a completed task of
one of the page's cases (:meth:`Queries._desk_page_statement`)."""


def _head_width(n_roles: int, *, bell: bool) -> int:
    """How many columns the header's counts take (:meth:`Queries._badge_columns`)."""
    return 2 * (n_roles + 1) + (2 if bell else 0)


def _is_active(task: Any, meta: Analysis) -> bool:
    """Whether a SpiffWorkflow task shows as "active": ready or started, or waiting on a
    timer or on the other branches of a parallel join."""
    from SpiffWorkflow.util.task import TaskState as SpiffState

    if task.state in (SpiffState.READY, SpiffState.STARTED):
        return True
    element = meta.elements.get(task.task_spec.bpmn_id)
    kind = element.type if element is not None else None
    return task.state == SpiffState.WAITING and kind in (
        "intermediateCatchEvent",
        "parallelGateway",
    )


@dataclass(frozen=True)
class InstanceScope:
    """The cases one user may see: those they started and those of the definitions (any
    version) whose lanes or fixed assignees include them (decided in ``webui.access``)."""

    username: str
    definition_ids: frozenset[int]


def _instance_search(text: str) -> Any:
    """Any of the searched columns contains ``text`` (case-insensitive; % and _ are literal)."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def has(column: Any) -> Any:
        return column.ilike(like, escape="\\")

    starter = (
        sa.select(users.c.id)
        .where(users.c.username == instances.c.started_by, has(users.c.full_name))
        .exists()
    )
    conds = [
        has(instances.c.title),
        has(instances.c.business_key),
        has(definition_rows.c.name),
        has(instances.c.process_key),
        has(instances.c.started_by),
        starter,
    ]
    number = text.removeprefix("#").strip()
    if number.isdigit() and len(number) <= 12:
        conds.append(instances.c.id == int(number))
    return sa.or_(*conds)
