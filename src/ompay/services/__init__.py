"""Use cases: business rules and the transaction boundary."""
