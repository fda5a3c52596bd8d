"""Alur engine: deploy, run and store SOP processes on SpiffWorkflow (no HTTP code here).

Modules, one noun each: ``errors`` (what callers catch), ``store`` (SQLAlchemy tables, the
:class:`~engine.store.Store`, Alembic migrations in ``migrations/``), ``status`` (instance,
task and element statuses), ``users``, ``calendar`` (office calendar and due dates),
``conditions`` (the safe expression subset and the script engine that enforces it),
``definitions`` (validate, analyse, version, cache specs) with ``analysis`` (the typed result
of analysing a definition, stored with it), ``runtime`` (the facade over ``commands``, which
change instances and tasks, ``queries``, which read them, ``records``, what both return, and
``serializer``, the stored workflow state), ``worker`` (timers).

Configuration (a mapping passed as ``Definitions(store, config)``, else environment variables):

- ``ALUR_DATABASE_URL``: SQLAlchemy URL; default ``sqlite:///instance/alur.db``
  (``ALUR_INSTANCE_PATH`` moves the folder). PostgreSQL: ``postgresql+psycopg://...``.
- ``ALLOW_SCRIPTS`` / ``ALUR_ALLOW_SCRIPTS=1``: accept BPMN script tasks (trusted files only).
- ``ALUR_OFFICE_START``, ``ALUR_OFFICE_END`` ("08:00", "16:00"), ``ALUR_TIMEZONE``
  ("Asia/Jakarta"), ``ALUR_CLOSED_DAYS`` (ISO dates, comma separated): the office calendar.
"""
