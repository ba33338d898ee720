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
from simulator.store import Store, StoreError
from simulator.store.location import config_dir, data_dir, describe, resolve_url
from simulator.store.recorder import RecordedCall, ResumeError


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
