"""Alembic environment: runs on the connection kopdesk hands over, or on sqlalchemy.url for the CLI."""

from alembic import context
from sqlalchemy import create_engine

import kopdesk.models
from kopdesk.models.base import Base

kopdesk.models.load_all()  # every entity's table, so that autogenerate sees the whole schema
config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs move-and-copy for ALTER
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
