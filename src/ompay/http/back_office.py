"""Who may use the back office (`/api/v1/admin`): one guard per duty of the staff roles.

The `/admin` router lets staff only (`STAFF`); each controller or route narrows it to its duty,
so a back-office route added without a guard of its own is still closed to customers,
merchants and agents.
"""

from __future__ import annotations

from ompay.http.auth import requires_role
from ompay.models import UserRole

STAFF = requires_role(UserRole.ADMIN, UserRole.COMPLIANCE_OFFICER, UserRole.SUPPORT)
"""Look, never change: support answers customers from what it can read."""

COMPLIANCE_DECISIONS = requires_role(UserRole.ADMIN, UserRole.COMPLIANCE_OFFICER)
"""KYC and KYB decisions: approving people and merchants, suspending, versioning tier limits."""

ADMINS = requires_role(UserRole.ADMIN)
"""Onboarding merchants and their staff, and money operations (float funding, reversals)."""
