"""SQLAlchemy models, one module per aggregate, re-exported here."""

from ompay.models.audit import AuditEvent
from ompay.models.base import metadata
from ompay.models.outbox import OutboxMessage

__all__ = ["AuditEvent", "OutboxMessage", "metadata"]
