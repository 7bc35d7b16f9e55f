"""The database half of `migrate`: env.py's context, the migration runner and the version table.

Modules, one concern each: `environment` (what env.py talks to), `migration`
(runs a plan on a connection or as SQL text), `version_table` (the recorder),
`heads` (how heads move as revisions apply), `locking`, `transactions`,
`progress` (log lines and the terminal display) and `autogenerate` (compare
models for `revision --autogenerate` and `check`).
"""
