"""Domain layer: ledger declarations, field types, validation. No Qt, no database session."""
