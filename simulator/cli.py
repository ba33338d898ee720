"""The `calldrill` command: a thin layer over the scenario, engine and scoring packages."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TextIO

from simulator import __version__
from simulator.engine import Call, CallPlot, NotOffered
from simulator.engine.explore import explore
from simulator.engine.transcript import TRANSCRIPT_VERSION, because, transcript_dict
from simulator.engine.turn import Turn
from simulator.i18n import default_lang, t
from simulator.report import debrief_report, graph
from simulator.report.atomic import write_atomic
from simulator.scenario.cache import cached_start
from simulator.scenario.checks import check_refs
from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.library import (
    Library,
    bundled_dir,
    load_library,
    load_personas,
    load_scenario,
    load_support,
    scenario_files,
    support_for,
)
from simulator.scenario.loader import load_persona, load_rubric, load_tags
from simulator.scenario.model import DIMENSIONS, Lang, Scenario
from simulator.scenario.reader import ID_RE, suggest
from simulator.scenario.schema import scenario_schema
from simulator.scenario.skeleton import skeleton
from simulator.scoring import score_call
from simulator.scoring.debrief import debrief
from simulator.store.errors import StoreError
from simulator.store.options import add_db_option

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the person at the keyboard: a message, exit status 2, no traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calldrill",
        description="Role-play training for call-center agents / 客服话务员情景模拟训练",
    )
    parser.add_argument("--version", action="version", version=f"calldrill {__version__}")
    parser.add_argument("--lang", choices=["zh", "en"], help="language (default: locale, else zh)")
    parser.add_argument(
        "--scenarios",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also load scenarios from DIR (repeatable)",
    )
    add_db_option(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --lang is accepted after the command too: `calldrill play x --lang en`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=argparse.SUPPRESS,
        help="language (default: locale, else zh)",
    )
    add_db_option(common, suppress=True)

    sub.add_parser(
        "locate", help="print where the database, settings and cache live", parents=[common]
    )

    p = sub.add_parser("list", help="list the scenarios", parents=[common])
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser(
        "validate", help="check scenario, persona, tag and rubric files", parents=[common]
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: the bundled library)",
    )

    p = sub.add_parser("play", help="play a call without the full-screen app", parents=[common])
    p.add_argument("scenario", help="scenario id, or the path of a scenario file")
    p.add_argument(
        "--trainee",
        metavar="NAME",
        help="record the call under this profile, every reply as it is answered",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="with --trainee: continue the unfinished call of this scenario",
    )
    p.add_argument("--mode", choices=["practice", "exam"], default="practice")
    p.add_argument("--replies", help="comma-separated reply numbers as shown, e.g. 2,1,3")
    p.add_argument("--seed", type=int, default=0, help="seed for choice order and line variants")
    p.add_argument("--json", action="store_true", help="print the transcript and score as JSON")
    p.add_argument(
        "--plain",
        action="store_true",
        help="interactive line-by-line play (the default without --replies)",
    )
    p.add_argument(
        "--free-text",
        action="store_true",
        help="interactive: type each reply in your own words instead of a number",
    )
    p = sub.add_parser(
        "explore", help="walk every path through a scenario (authors' check)", parents=[common]
    )
    p.add_argument("scenario", help="scenario id, or the path of a scenario file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--limit",
        type=int,
        default=20_000,
        help="distinct futures to walk before sampling instead (default 20000)",
    )
    p.add_argument(
        "--samples",
        type=int,
        default=5_000,
        help="seeded playthroughs when sampling, or paths drawn to estimate the median "
        "(default 5000)",
    )
    p.add_argument(
        "--score-limit",
        type=int,
        default=1_500_000,
        help="distinct score sums to count exactly before estimating the median and the "
        "passing paths (default 1500000)",
    )
    p.add_argument(
        "--max-depth",
        type=int,
        default=40,
        help="replies before a path counts as not ending (default 40)",
    )
    p.add_argument("--seed", type=int, default=0)
    p = sub.add_parser("graph", help="the plot as a diagram (Mermaid or Graphviz dot)")
    p.add_argument("scenario", help="scenario id, or the path of a scenario file")
    p.add_argument("--format", choices=["mermaid", "dot", "markdown"], default="mermaid")

    p = sub.add_parser("new", help="write a valid, commented scenario skeleton")
    p.add_argument("scenario_id", help="the new scenario's id (kebab-case)")
    p.add_argument("--persona", required=True, help="persona id (see scenarios/personas/)")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: ./ID.yaml)")

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")

    from simulator.cli_store_args import add_store_commands  # noqa: PLC0415
    from simulator.cli_transcript import add_parser as add_transcript_command  # noqa: PLC0415

    add_store_commands(sub, common)
    add_transcript_command(sub, common)
    from simulator.cli_drill import add_drill_commands  # noqa: PLC0415

    add_drill_commands(sub, common)
    from simulator.cli_exam import add_exam_commands  # noqa: PLC0415

    add_exam_commands(sub, common)

    p = sub.add_parser(
        "serve", help="serve the app to browsers (classroom seats)", parents=[common]
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks one)")
    p.add_argument("--token", help="access token (default: a new one unless on localhost)")
    p.add_argument("--max-sessions", type=int, default=40, help="concurrent sessions (default: 40)")

    p = sub.add_parser(
        "debrief", help="the debrief of a saved transcript (play --json output)", parents=[common]
    )
    p.add_argument("file", type=Path, help="a transcript saved by `calldrill play … --json`")
    p.add_argument("--format", choices=["md", "html", "json"], default="md")
    p.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang: Lang = args.lang or default_lang()
    out = sys.stdout
    try:
        if args.command is None:
            return cmd_home(parser, args, lang, out)
        if args.command in ("locate", "export", "import"):
            from simulator import cli_store  # noqa: PLC0415

            command = getattr(cli_store, f"cmd_{args.command}")
            return int(command(args, out))
        if args.command in ("drill", "class"):
            from simulator import cli_drill  # noqa: PLC0415

            return cli_drill.run(args, lang, out)
        if args.command == "exam":
            from simulator import cli_exam  # noqa: PLC0415

            return cli_exam.run(args, lang, out)
        if args.command == "serve":
            from simulator.serve.command import cmd_serve  # noqa: PLC0415

            return cmd_serve(args, lang, out)
        if args.command == "list":
            return cmd_list(args, lang, out)
        if args.command == "validate":
            return cmd_validate(args.paths, lang, out)
        if args.command == "play":
            return cmd_play(args, lang, out)
        if args.command == "explore":
            return cmd_explore(args, out)
        if args.command == "graph":
            return cmd_graph(args, out)
        if args.command == "new":
            return cmd_new(args, out)
        if args.command == "debrief":
            return cmd_debrief(args, lang, out)
        if args.command == "score-transcript":
            from simulator.cli_transcript import cmd_score_transcript  # noqa: PLC0415

            return cmd_score_transcript(args, out)
        if args.command == "schema":
            print(json.dumps(scenario_schema(), indent=2, ensure_ascii=False), file=out)
            return EXIT_OK
    except UsageError as exc:
        print(f"calldrill: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"calldrill: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


# Library access.


def _library(args: argparse.Namespace) -> Library:
    for folder in args.scenarios:
        if not folder.is_dir():
            raise UsageError(f"--scenarios {folder}: no such folder")
    return load_library(bundled_dir(), args.scenarios, strict=False)


def _scenario(args: argparse.Namespace) -> tuple[Scenario, Library]:
    root = bundled_dir()
    ref = args.scenario
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.is_file():
        if not path.is_file():
            raise UsageError(f"{ref}: no such file")
        tags, rubric, personas, problems = support_for(path)
        if problems:
            raise ScenarioError(problems)
        scenario = load_scenario(path, tags, personas)
        return scenario, Library(root, tags, rubric, personas, {scenario.id: scenario})
    lib = _library(args)
    if ref not in lib.scenarios:
        broken = [p for p in lib.problems if p.path.stem == ref]
        if broken:
            raise ScenarioError(broken)
        hint = suggest(ref, lib.scenarios)
        raise UsageError(
            f"no scenario '{ref}'" + (f" — {hint}" if hint else "") + " (see `calldrill list`)"
        )
    return lib.scenarios[ref], lib


# Commands.


def cmd_home(
    parser: argparse.ArgumentParser, args: argparse.Namespace, lang: Lang, out: TextIO
) -> int:
    # CALLDRILL_SEAT: a browser seat (calldrill serve) runs the app over pipes, not a terminal.
    if (sys.stdin.isatty() and sys.stdout.isatty()) or os.environ.get("CALLDRILL_SEAT") == "1":
        # Textual is imported only here, so the headless commands stay light.
        from simulator.tui.app import CalldrillApp  # noqa: PLC0415

        for folder in args.scenarios:
            if not folder.is_dir():
                raise UsageError(f"--scenarios {folder}: no such folder")
        index, loader = cached_start(bundled_dir(), tuple(args.scenarios))
        from simulator.store.location import resolve_url  # noqa: PLC0415

        app = CalldrillApp(
            None,
            lang,
            index=index,
            loader=loader,
            extra_dirs=tuple(args.scenarios),
            store_url=resolve_url(args.db),
        )
        app.run()
        for problem in app.library.problems:
            print(problem, file=sys.stderr)
        return EXIT_OK
    parser.print_help(out)
    print(file=out)
    print(t(lang, "no_tui"), file=out)
    print(file=out)
    return cmd_list(args, lang, out, as_json=False)


def cmd_list(
    args: argparse.Namespace, lang: Lang, out: TextIO, *, as_json: bool | None = None
) -> int:
    lib = _library(args)
    rows = sorted(lib.scenarios.values(), key=lambda s: (s.difficulty, s.id))
    if as_json if as_json is not None else args.json:
        data = [
            {
                "id": s.id,
                "version": s.version,
                "title": s.title.as_dict(),
                "kind": s.kind,
                "persona": s.persona.id,
                "difficulty": s.difficulty,
                "skills": list(s.skills),
                "source": s.source,
            }
            for s in sorted(lib.scenarios.values(), key=lambda s: s.id)
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), file=out)
    else:
        print(t(lang, "scenarios"), file=out)
        for s in rows:
            print(
                f"  {s.id:<28} {t(lang, s.difficulty):<8} {t(lang, s.kind):<8} "
                f"{s.persona.name.get(lang):<12} {s.title.get(lang)}",
                file=out,
            )
    for problem in lib.problems:
        print(problem, file=sys.stderr)
    return EXIT_PROBLEMS if lib.problems else EXIT_OK


def cmd_validate(paths: list[Path], lang: Lang, out: TextIO) -> int:
    problems: list[Problem] = []
    unusable = False
    count = 0
    targets = paths or [bundled_dir()]
    for target in targets:
        try:
            count += _validate_one(target, problems)
        except ScenarioError as exc:
            problems += exc.problems
            unusable = unusable or exc.unusable
    for problem in problems:
        print(problem, file=out)
    if problems:
        print(t(lang, "problems_found", n=len(problems)), file=sys.stderr)
    else:
        print(t(lang, "no_problems", n=count), file=sys.stderr)
    if unusable:
        return EXIT_USAGE
    return EXIT_PROBLEMS if problems else EXIT_OK


def _validate_one(target: Path, problems: list[Problem]) -> int:
    """Validate a file or folder; returns how many files it read."""
    root = bundled_dir()
    if not target.exists():
        raise ScenarioError(
            [Problem(target, Mark(1, 1), "no such file or folder", "check the path")], unusable=True
        )
    if target.is_dir():
        support = target if (target / "tags.yaml").is_file() else root
        tags, _, personas = load_support(support)
        n = 2 + len(list((support / "personas").glob("*.yaml")))
        if support != target and (target / "personas").is_dir():
            n += len(list((target / "personas").glob("*.yaml")))
            personas.update(load_personas(target / "personas", tags, problems))
        for file in scenario_files(target):
            n += 1
            try:
                load_scenario(file, tags, personas)
            except ScenarioError as exc:
                problems += exc.problems
        return n
    if target.name == "tags.yaml":
        load_tags(target)
        return 1
    if target.name == "rubric.yaml":
        load_rubric(target)
        return 1
    if target.parent.name == "personas":
        tags, _, _ = load_support(root)
        persona, reader = load_persona(target)
        check_refs(reader, tags, persona)
        problems += reader.problems
        return 1
    tags, _, personas, local_problems = support_for(target)
    problems += local_problems
    load_scenario(target, tags, personas)
    return 1


def _parse_replies(text: str) -> list[int]:
    numbers: list[int] = []
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            continue
        if not part.isdigit():
            raise UsageError(f"--replies: '{part}' is not a reply number (write e.g. 2,1,3)")
        numbers.append(int(part))
    return numbers


class _Player(Protocol):
    def reply_number(self, number: int) -> Turn: ...


def cmd_play(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    scenario, lib = _scenario(args)
    if args.json and args.replies is None:
        raise UsageError("--json needs --replies (interactive play prints as it goes)")
    if args.resume and not args.trainee:
        raise UsageError("--resume needs --trainee NAME (whose call to continue)")
    if args.free_text and args.replies is not None:
        raise UsageError("--free-text is interactive: it cannot be used with --replies")
    player: _Player
    if args.trainee:
        # The store is imported only when a call is recorded: plain play stays light.
        from simulator import cli_store  # noqa: PLC0415

        store = cli_store.open_store(args)
        recorded = cli_store.recorded_call(
            args, store, scenario, lib, lang, out, ask=args.replies is None
        )
        call, player = recorded.call, recorded
    else:
        call = CallPlot(scenario, lib.tags, lib.rubric).new_call(args.seed)
        player = call
    if args.replies is None and args.free_text:
        return _play_typed(call, player if args.trainee else None, args.mode, lang, out)
    if args.replies is None:
        return _play_interactive(call, player, lang, out, sys.stdin, saved=bool(args.trainee))
    for i, number in enumerate(_parse_replies(args.replies), start=1):
        if call.finished:
            raise UsageError(f"reply {i} ({number}): the call already ended after {i - 1} replies")
        try:
            player.reply_number(number)
        except NotOffered as exc:
            raise UsageError(f"reply {i}: {exc}") from None
    if args.json:
        data = transcript_dict(call, lang)
        data["score"] = score_call(call).as_dict()
        data["debrief"] = debrief(call, lang, lib.scenarios.values()).as_dict()
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), file=out)
    else:
        _print_transcript(call, lang, out)
    return EXIT_OK


def cmd_debrief(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    path: Path = args.file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a transcript (not JSON: {exc})") from None
    if not isinstance(data, dict) or "turns" not in data or "scenario" not in data:
        raise UsageError(f"{path}: not a transcript saved by `calldrill play … --json`")
    version = data.get("transcript_version")
    if version != TRANSCRIPT_VERSION:
        raise UsageError(
            f"{path}: saved by another calldrill (transcript version {version!r}; "
            f"this one reads {TRANSCRIPT_VERSION}); replay it with `calldrill play`"
        )
    turns = data["turns"]
    if not isinstance(turns, list) or not turns:
        raise UsageError(f"{path}: the transcript has no turns, so there is nothing to debrief")
    args.scenario = str(data["scenario"])
    scenario, lib = _scenario(args)
    if data.get("version") != scenario.version:
        raise UsageError(
            f"{path}: played on {scenario.id} v{data.get('version')}, but the "
            f"library has v{scenario.version}"
        )
    plot = CallPlot(scenario, lib.tags, lib.rubric)
    seed = data.get("seed")
    if not isinstance(seed, int):
        raise UsageError(f"{path}: the transcript has no seed")
    call = plot.new_call(seed)
    try:
        for turn in turns:
            call.reply(str(turn["reply"]["id"]))
    except (KeyError, TypeError, NotOffered) as exc:
        raise UsageError(
            f"{path}: the transcript does not replay on {scenario.id}: {exc}"
        ) from None
    report = debrief(call, lang, lib.scenarios.values()).as_dict()
    if args.format == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    elif args.format == "html":
        text = debrief_report.html_page(report, lang)
    else:
        text = debrief_report.markdown(report, lang)
    if args.output:
        write_atomic(args.output, text)
    else:
        print(text, end="", file=out)
    return EXIT_OK


def cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    scenario, lib = _scenario(args)
    plot = CallPlot(scenario, lib.tags, lib.rubric)
    render = {"mermaid": graph.mermaid, "dot": graph.dot, "markdown": graph.markdown}
    print(render[args.format](plot), end="", file=out)
    return EXIT_OK


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    if not ID_RE.match(args.scenario_id):
        raise UsageError(
            f"'{args.scenario_id}' is not a valid id: use lower-case letters, "
            "digits and '-', e.g. angry-late-refund"
        )
    _, _, personas = load_support(bundled_dir())
    persona = personas.get(args.persona)
    if persona is None:
        hint = suggest(args.persona, personas)
        raise UsageError(
            f"no persona '{args.persona}'"
            + (f" — {hint}" if hint else "")
            + f" (personas: {', '.join(sorted(personas))})"
        )
    target = args.output or Path(f"{args.scenario_id}.yaml")
    if target.exists():
        raise UsageError(f"{target} already exists; choose another id or -o PATH")
    target.write_text(skeleton(args.scenario_id, persona), encoding="utf-8")
    print(f"{target}: written. Next: calldrill validate {target}", file=out)
    return EXIT_OK


def cmd_explore(args: argparse.Namespace, out: TextIO) -> int:
    scenario, lib = _scenario(args)
    plot = CallPlot(scenario, lib.tags, lib.rubric)
    result = explore(
        plot,
        limit=args.limit,
        max_depth=args.max_depth,
        seed=args.seed,
        samples=args.samples,
        score_limit=args.score_limit,
    )
    data = result.as_dict(plot)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), file=out)
        return EXIT_OK
    how = {
        "exhaustive": "exhaustive",
        "exact-paths": (
            f"all counted; median and passing paths estimated from {args.samples} uniformly "
            f"drawn paths: over {args.score_limit} distinct score sums"
        ),
        "sampled": f"sampled: over {args.limit} distinct futures, so {args.samples} seeded "
        "playthroughs",
    }[data["method"]]
    print(f"{scenario.id} v{scenario.version}: {data['paths']} paths ({how})", file=out)
    if data["method"] != "sampled":
        print(
            f"distinct futures walked: {data['futures']} ({data['replies_made']} replies made)",
            file=out,
        )
    print("endings: " + ", ".join(f"{k} {v}" for k, v in data["endings"].items()), file=out)
    if data["unfinished_paths"]:
        print(
            f"paths still going after {args.max_depth} replies: {data['unfinished_paths']}",
            file=out,
        )
    for loop in data["endless_loops"]:
        print(f"loop that never has to end: {' → '.join(loop)} → …", file=out)
    sc = data["score"]
    about = "" if sc["median_exact"] else "≈ "
    print(
        f"score: min {sc['min']}, median {about}{sc['median']}, max {sc['max']}; "
        f"passing paths {about}{data['passing_paths']}",
        file=out,
    )
    for label, key in (("max", "max_path"), ("min", "min_path")):
        rec = data[key]
        if rec:
            print(
                f"{label} path ({rec['score']}, {rec['ending']}): {' → '.join(rec['replies'])}",
                file=out,
            )
    for key in ("unreached_states", "unreached_endings", "unreached_choices"):
        print(f"{key.replace('_', ' ')}: {', '.join(data[key]) or 'none'}", file=out)
    for concern, info in data["loop_steps"].items():
        complete = (
            "complete loop reachable" if info["complete_loop_on_some_path"] else "NO complete loop"
        )
        print(
            f"concern {concern}: steps {', '.join(info['reachable']) or 'none'}; {complete}",
            file=out,
        )
    if data["three_yes"] is not None:
        rungs = ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in data["three_yes"].items())
        print(f"3-Yes rungs reachable: {rungs}", file=out)
    return EXIT_OK


def _print_transcript(call: Call, lang: Lang, out: TextIO) -> None:
    data = transcript_dict(call, lang)
    sc = call.scenario
    print(f"{sc.title.get(lang)} · {sc.id} v{sc.version} · {t(lang, 'seed')} {call.seed}", file=out)
    turns = data["turns"]
    for turn_data, turn in zip(turns, call.turns, strict=True):
        for line in turn_data["customer"]:
            print(f"{t(lang, 'customer')}: {line}", file=out)
        reply = turn_data["reply"]
        print(f"  {t(lang, 'you')} [{reply['n']}]: {reply['text']}", file=out)
        _print_turn_effects(call, turn, lang, out)
    for line in data["now"]["customer"]:
        print(f"{t(lang, 'customer')}: {line}", file=out)
    _print_score(call, lang, out)


def _print_turn_effects(call: Call, turn: Turn, lang: Lang, out: TextIO) -> None:
    pts = " ".join(f"{t(lang, d)} {turn.points[d]:+d}" for d in DIMENSIONS if turn.points[d])
    print(f"    {t(lang, 'points')}: {pts or '0'}", file=out)
    labels = call.scenario.persona.mood
    for change in turn.changes:
        print(
            f"    {labels[change.var].label.get(lang)} {change.delta:+d}: "
            f"{because(call, change, lang)}",
            file=out,
        )
    choice = call.scenario.states[turn.state].choice(turn.choice)
    print(f"    {t(lang, 'feedback')}: {choice.feedback.get(lang)}", file=out)


def _print_score(call: Call, lang: Lang, out: TextIO) -> None:
    score = score_call(call)
    if call.finished and call.ending is not None:
        print(
            f"== {t(lang, 'ending')}: {t(lang, call.ending.outcome)} — "
            f"{call.ending.summary.get(lang)}",
            file=out,
        )
    else:
        print(f"== {t(lang, 'unfinished')}", file=out)
    verdict = t(lang, "passed") if score.passed else t(lang, "failed")
    print(f"{t(lang, 'score')}: {score.total:g}/100 ({verdict})", file=out)
    for dim in DIMENSIONS:
        print(f"  {t(lang, dim)}: {score.dimensions[dim]:g}/25", file=out)
    if score.caps:
        print(f"  {t(lang, 'capped')}: {', '.join(score.caps)}", file=out)


def _play_typed(call: Call, recorded: object, mode: str, lang: Lang, out: TextIO) -> int:
    """``play --free-text`` (simulator/cli_freetext.py): typed replies, line by line."""
    from simulator.cli_freetext import play_free_text, typed_player  # noqa: PLC0415

    sc = call.scenario
    print(f"{sc.title.get(lang)}", file=out)
    print(f"{t(lang, 'brief')}: {sc.brief.get(lang)}", file=out)
    print(f"{t(lang, 'goal')}: {sc.goal.get(lang)}", file=out)
    print(file=out)
    practice = mode == "practice"

    def effects(c: Call, turn: Turn) -> None:
        _print_turn_effects(c, turn, lang, out)

    ended = play_free_text(
        call,
        typed_player(call, recorded),
        lang,
        out,
        sys.stdin,
        practice=practice,
        saved=recorded is not None,
        on_turn=effects if practice else None,
    )
    if ended:
        for line in call.customer_lines:
            print(f"{t(lang, 'customer')}: {line.get(lang)}", file=out)
    _print_score(call, lang, out)
    return EXIT_OK


def _play_interactive(
    call: Call, player: _Player, lang: Lang, out: TextIO, inp: TextIO, *, saved: bool = False
) -> int:
    sc = call.scenario
    print(f"{sc.title.get(lang)}", file=out)
    print(f"{t(lang, 'brief')}: {sc.brief.get(lang)}", file=out)
    print(f"{t(lang, 'goal')}: {sc.goal.get(lang)}", file=out)
    print(file=out)
    while not call.finished:
        for line in call.customer_lines:
            print(f"{t(lang, 'customer')}: {line.get(lang)}", file=out)
        shown = call.choices
        for i, choice in enumerate(shown, start=1):
            print(f"  {i}. {choice.text.get(lang)}", file=out)
        while True:
            print(t(lang, "choose", n=len(shown)), end="", file=out, flush=True)
            answer = inp.readline()
            if not answer or answer.strip().lower() in ("q", "quit", "exit"):
                print(file=out)
                print(t(lang, "quit"), file=out)
                if saved:
                    print(t(lang, "saved_hint"), file=out)
                _print_score(call, lang, out)
                return EXIT_OK
            answer = answer.strip()
            if answer.isdigit() and 1 <= int(answer) <= len(shown):
                break
            print(t(lang, "not_a_choice", n=len(shown)), file=out)
        turn = player.reply_number(int(answer))
        _print_turn_effects(call, turn, lang, out)
        print(file=out)
    for line in call.customer_lines:
        print(f"{t(lang, 'customer')}: {line.get(lang)}", file=out)
    _print_score(call, lang, out)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
