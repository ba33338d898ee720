"""Arguments of the store commands (export, import): declared without importing the store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_store_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", help="attempts as CSV, JSONL or xAPI statements", parents=[common])
    p.add_argument("--format", choices=["csv", "jsonl", "xapi"], default="csv")
    p.add_argument("--trainee", metavar="NAME", help="only this trainee's attempts")
    p.add_argument("--since", metavar="DATE", help="only attempts started on or after DATE")
    p.add_argument("--turns", action="store_true", help="CSV: one row per reply")
    p.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of stdout")
    p.add_argument("--lrs", metavar="URL", help="xAPI: post the statements to this LRS endpoint")
    p.add_argument("--lrs-auth", metavar="USER:PASSWORD", help="xAPI: Basic auth for the LRS")
    p.add_argument(
        "--home-page",
        default="http://localhost/calldrill",
        help="xAPI: the account home page that names trainees",
    )
    p = sub.add_parser(
        "import", help="merge attempts exported (JSONL) on another machine", parents=[common]
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
