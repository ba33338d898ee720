"""The store's side of the `calldrill` command: where things live, recorded play and
resume, export and import. Imported only by the commands that need a database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from simulator.engine import Call, CallPlot
from simulator.i18n import t
from simulator.scenario.cache import cache_dir
from simulator.scenario.model import Lang, Library, Scenario
from simulator.store.errors import StoreError
from simulator.store.location import config_dir, data_dir, describe, resolve_url
from simulator.store.recorder import RecordedCall, ResumeError
from simulator.store.store import Store


def open_store(args: argparse.Namespace) -> Store:
    return Store(getattr(args, "db", None))


def cmd_locate(args: argparse.Namespace, out: TextIO) -> int:
    url = resolve_url(getattr(args, "db", None))
    print(f"database: {describe(url)}", file=out)
    print(f"data:     {data_dir()}", file=out)
    print(f"config:   {config_dir()}", file=out)
    print(f"cache:    {cache_dir()}", file=out)
    return 0


def recorded_call(
    args: argparse.Namespace,
    store: Store,
    scenario: Scenario,
    lib: Library,
    lang: Lang,
    out: TextIO,
    *,
    ask: bool,
) -> RecordedCall:
    """The call to play for ``--trainee``: a resumed unfinished one, or a new attempt."""
    trainee = store.trainee(args.trainee, lang=lang)
    plot = CallPlot(scenario, lib.tags, lib.rubric)
    waiting = [a for a in store.open_attempts(trainee.id) if a.scenario_id == scenario.id]
    if waiting:
        attempt = waiting[0]
        resume = args.resume
        if not resume and ask:
            print(
                t(lang, "resume_ask", turn=len(attempt.turns) + 1, title=scenario.title.get(lang)),
                end="",
                file=out,
                flush=True,
            )
            answer = sys.stdin.readline().strip().lower()
            resume = answer in ("", "y", "yes", "是", "好")
        if resume:
            try:
                rc = RecordedCall.resume(store, attempt, plot, library=lib.scenarios.values())
            except ResumeError as exc:
                print(t(lang, "resume_failed", why=str(exc)), file=sys.stderr)
                store.abandon(attempt.id)
            else:
                print(t(lang, "resumed", turn=len(attempt.turns) + 1), file=out)
                return rc
        else:
            store.abandon(attempt.id)
    elif args.resume:
        raise StoreError(t(lang, "resume_none", trainee=trainee.name, scenario=scenario.id))
    call: Call = plot.new_call(args.seed)
    return RecordedCall.start(
        store, trainee.id, call, mode=args.mode, lang=lang, library=lib.scenarios.values()
    )


def parse_since(text: str | None) -> str | None:
    if text is None:
        return None
    from datetime import date  # noqa: PLC0415

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise StoreError(f"--since {text}: write a date as YYYY-MM-DD") from None


def paths_exist(paths: Sequence[Path]) -> None:
    for p in paths:
        if not p.is_file():
            raise StoreError(f"{p}: no such file")


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from simulator.report import exports, xapi  # noqa: PLC0415
    from simulator.report.atomic import atomic_writer  # noqa: PLC0415
    from simulator.store.records import iter_records  # noqa: PLC0415

    since = parse_since(args.since)
    if args.lrs and args.format != "xapi":
        raise StoreError("--lrs posts xAPI statements: use it with --format xapi")
    if args.turns and args.format != "csv":
        raise StoreError("--turns is for --format csv (JSONL and xAPI always hold the turns)")
    with open_store(args) as store:
        if args.trainee and store.find_trainee(args.trainee) is None:
            raise StoreError(f"no trainee called '{args.trainee}' (see `calldrill history`)")
        need_turns = args.format != "csv" or args.turns
        records = iter_records(
            store,
            trainee=args.trainee,
            since=since,
            turns=need_turns,
            debrief=args.format == "jsonl",
        )
        if args.lrs:
            from simulator.report.lrs import LRSError, post_statements  # noqa: PLC0415

            user, password = None, None
            if args.lrs_auth:
                user, _, password = args.lrs_auth.partition(":")
            try:
                result = post_statements(
                    args.lrs,
                    xapi.statements(records, home_page=args.home_page),
                    user=user,
                    password=password,
                )
            except LRSError as exc:
                raise StoreError(str(exc)) from None
            print(
                f"posted {result.sent} statements in {result.batches} batches "
                f"({result.retries} retries)",
                file=sys.stderr,
            )
            return 0

        def write(fh: TextIO) -> int:
            if args.format == "csv":
                if args.turns:
                    return exports.write_turns_csv(records, fh)
                return exports.write_attempts_csv(records, fh)
            if args.format == "jsonl":
                return exports.write_jsonl(records, fh)
            return exports.write_jsonl(xapi.statements(records, home_page=args.home_page), fh)

        if args.output:
            with atomic_writer(args.output) as fh:
                n = write(fh)
            print(f"{args.output}: {n} rows", file=sys.stderr)
        else:
            write(out)
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from simulator.store.merge import merge, read_jsonl  # noqa: PLC0415

    paths_exist(args.files)
    with open_store(args) as store:
        for path in args.files:
            result = merge(store, read_jsonl(path))
            print(
                f"{path}: {result.added} added, {result.replaced} replaced, "
                f"{result.skipped} already here"
                + (
                    f"; new trainees: {', '.join(result.trainees_added)}"
                    if result.trainees_added
                    else ""
                ),
                file=out,
            )
    return 0
