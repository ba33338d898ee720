"""`calldrill drill` (the app, opened on the drill set-up) and `calldrill class report`
(the instructor's report of a class's drills). Imported only by these commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from simulator.scenario.model import Lang
from simulator.store.errors import StoreError


def add_drill_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    sub.add_parser(
        "drill",
        help="run a classroom group drill (agent / customer / observer rotation)",
        parents=[common],
    )
    p = sub.add_parser("class", help="the instructor's view of the class drills", parents=[common])
    cls = p.add_subparsers(dest="class_command", metavar="SUBCOMMAND", required=True)
    r = cls.add_parser(
        "report",
        help="per trainee, group and scenario, and observer calibration",
        parents=[common],
    )
    r.add_argument("--class", dest="class_name", metavar="NAME", help="only this class")
    r.add_argument("--format", choices=["md", "html", "csv"], default="md")
    r.add_argument("-o", "--output", type=Path, help="write here instead of standard output")


def run(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    if args.command == "drill":
        return cmd_drill(args, lang)
    return cmd_class_report(args, lang, out)


def cmd_drill(args: argparse.Namespace, lang: Lang) -> int:
    from simulator.cli import UsageError  # noqa: PLC0415

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("calldrill drill runs the full-screen app: start it in a terminal")
    from simulator.scenario.cache import cached_start  # noqa: PLC0415
    from simulator.scenario.paths import bundled_dir  # noqa: PLC0415
    from simulator.store.location import resolve_url  # noqa: PLC0415
    from simulator.tui.drill_app import DrillApp  # noqa: PLC0415

    for folder in args.scenarios:
        if not folder.is_dir():
            raise UsageError(f"--scenarios {folder}: no such folder")
    index, loader = cached_start(bundled_dir(), tuple(args.scenarios))

    DrillApp(
        None,
        lang,
        index=index,
        loader=loader,
        extra_dirs=tuple(args.scenarios),
        store_url=resolve_url(getattr(args, "db", None)),
    ).run()
    return 0


def cmd_class_report(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.report import class_report  # noqa: PLC0415
    from simulator.report.atomic import write_atomic  # noqa: PLC0415
    from simulator.report.class_summary import summarise  # noqa: PLC0415
    from simulator.scenario.cache import cached_start  # noqa: PLC0415
    from simulator.scenario.paths import bundled_dir  # noqa: PLC0415
    from simulator.store.drills import class_names, class_rounds, skill_totals  # noqa: PLC0415
    from simulator.store.store import Store  # noqa: PLC0415

    with Store(getattr(args, "db", None)) as store:
        if args.class_name is not None and args.class_name not in class_names(store):
            known = ", ".join(class_names(store)) or "none yet"
            raise StoreError(f"no class called '{args.class_name}' (classes: {known})")
        rounds = class_rounds(store, args.class_name)
        skills = skill_totals(store, [r.attempt_id for r in rounds if r.attempt_id is not None])
    summary = summarise(rounds, skills, args.class_name)
    index, _ = cached_start(bundled_dir(), tuple(args.scenarios))
    titles = {sid: s.title for sid, s in index.scenarios.items()}
    if args.format == "csv":
        text = class_report.csv_rounds(rounds)
    elif args.format == "html":
        text = class_report.html_page(summary, lang, titles, index.tag_names)
    else:
        text = class_report.markdown(summary, lang, titles, index.tag_names)
    if args.output is not None:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return 0
