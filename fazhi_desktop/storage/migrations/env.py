"""Alembic environment: always in-process, on the connection the program hands over."""

from alembic import context

from fazhi_desktop.storage.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    # Only for developers generating a revision: `alembic -x url=sqlite:///tmp.sqlite3 revision --autogenerate`
    import sqlalchemy as sa

    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev-migrations.sqlite3")
    with sa.create_engine(url).begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    # render_as_batch: SQLite cannot ALTER most things; batch mode rebuilds the table inside the transaction.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
