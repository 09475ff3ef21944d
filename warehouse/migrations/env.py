"""Alembic's environment for the warehouse: runs the revisions on the connection warehouse.migrations hands
over, inside that connection's transaction (so an upgrade is all or nothing on both databases)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from warehouse.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters a table by copying it; batch operations do that for a later revision's ALTER.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:  # the alembic command line (a developer drafting a revision): the warehouse RECEIVABLES_DB_URL names
    from warehouse.engine import make_engine

    engine = make_engine(os.environ["RECEIVABLES_DB_URL"], pooled=False)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
