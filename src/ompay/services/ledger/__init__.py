"""The ledger and the money that moves through it: posting engine, transfers, cash, fees, limits."""
