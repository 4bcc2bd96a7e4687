"""SAQ jobs: thin async functions that open their own unit of work and call one service."""
