"""Migrations, seeders and factories."""
