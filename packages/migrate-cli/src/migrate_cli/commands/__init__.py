"""The command functions, one module per half: scripts.py (files) and database.py (runtime)."""
