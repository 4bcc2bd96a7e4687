"""Queries, and nothing else."""
