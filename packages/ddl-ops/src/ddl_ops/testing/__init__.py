"""Helpers for testing code built on ddl-ops; they need the test extras (hypothesis)."""
