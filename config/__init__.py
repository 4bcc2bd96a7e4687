"""Typed configuration from the environment (Laravel's config/)."""
