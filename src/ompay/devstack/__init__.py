"""Local stack for `make run` and `make test`: find Postgres and Redis, or start embedded ones.

Development tooling only; production gets its services from the environment.
"""
