"""Ledger accounts: wallets, floats and OMPAY's own accounts (LEDGER.md "Accounts")."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ompay.models.base import UUIDv7AuditBase
from ompay.models.enums import AccountKind, AccountStatus, string_enum


class LedgerAccount(UUIDv7AuditBase):
    __tablename__ = "ledger_accounts"

    kind: Mapped[AccountKind] = mapped_column(string_enum(AccountKind, "account_kind"))
    status: Mapped[AccountStatus] = mapped_column(string_enum(AccountStatus, "account_status"))
    owner_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    currency: Mapped[str] = mapped_column(String(3), default="XOF", server_default="XOF")
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
