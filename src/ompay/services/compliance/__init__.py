"""Compliance: KYC tiers and limits, identity checks and reviews (COMPLIANCE.md)."""
