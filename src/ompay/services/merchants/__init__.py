"""Merchants: onboarding, API keys, payment requests, refunds, events and their webhooks."""
