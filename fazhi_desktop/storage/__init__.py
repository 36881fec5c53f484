"""Storage layer: engine and pragmas, tables derived from the declarations, Alembic migrations, backups."""
