"""The ``--db`` command-line option, light enough for every command to declare."""

from __future__ import annotations

import argparse


def add_db_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS if suppress else None,
        help="database: a SQLite file or postgresql://… (default: $CALLDRILL_DB, "
        "else calldrill.sqlite3 in the data folder; see `calldrill locate`)",
    )
