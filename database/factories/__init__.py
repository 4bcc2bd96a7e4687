"""Test-data factories."""
