"""Benchmarks for akeneo-pipeline: `python -m bench` from the repository root."""
