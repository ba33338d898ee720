"""Persistence: trainees, attempts and turns in SQLite (default) or PostgreSQL.

May import the pure layers (scenario, engine, scoring), never the TUI. This package
file imports nothing, so that naming the store's light parts (errors, location,
options) costs the CLI and the app's start-up nothing: import from the modules.
"""
