"""Alembic environment: always run from `sync.server.db.upgrade` with an open connection."""

from alembic import context

from sync.server.schema import metadata

connection = context.config.attributes["connection"]
# Batch mode lets later revisions alter tables on SQLite too (copy-and-move).
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
