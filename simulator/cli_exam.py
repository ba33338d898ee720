"""`calldrill exam …`: keys, checking the bank and blueprints, draws, signed results,
reports and the cohort table (docs/assessment.md). The exam itself runs in the TUI.

Exit status: 0 done (or valid), 1 problems found (or an invalid result), 2 bad input.
Imports of the assessment, store and report packages happen inside each command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simulator.i18n import t
from simulator.scenario.model import Lang
from simulator.scenario.paths import bundled_dir

if TYPE_CHECKING:
    from simulator.assessment.model import Bank, Blueprint
    from simulator.scenario.model import Library

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class ExamUsageError(Exception):
    """Bad input: a message, exit status 2."""


def assessment_dir() -> Path:
    return bundled_dir() / "assessment"


def add_exam_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "exam", help="pre-job assessment: keys, checks, draws, signed results", parents=[common]
    )
    ex = p.add_subparsers(dest="exam_command", metavar="EXAM_COMMAND")
    ex.required = True

    q = ex.add_parser(
        "keygen", help="make an Ed25519 key pair for signing results", parents=[common]
    )
    q.add_argument("-o", "--output", type=Path, default=Path(), metavar="DIR")

    q = ex.add_parser("verify", help="check a signed result file", parents=[common])
    q.add_argument("result", type=Path, metavar="RESULT.json")
    q.add_argument("--key", type=Path, required=True, metavar="PUBLIC", help="the public key")

    q = ex.add_parser("validate", help="check question bank and blueprint files", parents=[common])
    q.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    q.add_argument("--bank", type=Path, metavar="DIR", help="check blueprints against this bank")

    q = ex.add_parser("draw", help="show the exam a candidate gets (no answers)", parents=[common])
    _blueprint_args(q)
    q.add_argument("--candidate", required=True, metavar="ID")
    q.add_argument("--seed", required=True, metavar="S")
    q.add_argument("--json", action="store_true", help="machine-readable output")

    q = ex.add_parser(
        "start",
        help="sit the exam in the full-screen app (resumes an open attempt)",
        parents=[common],
    )
    _blueprint_args(q)
    q.add_argument("--candidate", required=True, metavar="ID")
    q.add_argument("--seed", metavar="S", help="the draw's seed (default: a random one)")
    q.add_argument(
        "--key", type=Path, metavar="PRIVATE", help="sign the result file with this private key"
    )
    q.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="the signed result file (default: CANDIDATE-BLUEPRINT-result.json)",
    )

    q = ex.add_parser(
        "result", help="the signed result of a finished attempt, from the store", parents=[common]
    )
    _blueprint_args(q)
    q.add_argument("--candidate", required=True, metavar="ID")
    q.add_argument("--key", type=Path, required=True, metavar="PRIVATE", help="the private key")
    q.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    q = ex.add_parser(
        "allow", help="let a candidate sit the exam once more (instructor)", parents=[common]
    )
    _blueprint_args(q)
    q.add_argument("--candidate", required=True, metavar="ID")

    q = ex.add_parser(
        "abandon", help="end a candidate's open attempt (instructor)", parents=[common]
    )
    _blueprint_args(q)
    q.add_argument("--candidate", required=True, metavar="ID")

    q = ex.add_parser("attempts", help="exam attempts in the store", parents=[common])
    q.add_argument("--candidate", metavar="ID")

    q = ex.add_parser("report", help="a candidate's report (printable HTML)", parents=[common])
    q.add_argument("result", type=Path, metavar="RESULT.json")
    q.add_argument("--key", type=Path, metavar="PUBLIC", help="verify it with this public key")
    q.add_argument("--bank", type=Path, metavar="DIR", help="question texts (default: bundled)")
    q.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    q = ex.add_parser("cohort", help="one CSV row per result, for HR", parents=[common])
    q.add_argument("results", nargs="+", type=Path, metavar="RESULT.json")
    q.add_argument("--key", type=Path, metavar="PUBLIC", help="verify each with this public key")
    q.add_argument("-o", "--output", type=Path, help="write here instead of standard output")


def _blueprint_args(q: argparse.ArgumentParser) -> None:
    q.add_argument(
        "--blueprint",
        default="default",
        metavar="FILE",
        help="a blueprint file, or the name of a bundled one (default: default)",
    )
    q.add_argument("--bank", type=Path, metavar="DIR", help="the question bank (default: bundled)")


def run(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.draw import DrawError  # noqa: PLC0415
    from simulator.assessment.signing import SigningError  # noqa: PLC0415
    from simulator.scenario.errors import ScenarioError  # noqa: PLC0415

    command = args.exam_command.replace("-", "_")
    try:
        return int(globals()[f"cmd_{command}"](args, lang, out))
    except (ExamUsageError, SigningError, DrawError) as exc:
        print(f"calldrill exam: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE


# Loading.


def blueprint_path(ref: str) -> Path:
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or "/" in ref or path.is_file():
        if not path.is_file():
            raise ExamUsageError(f"{ref}: no such file")
        return path
    bundled = assessment_dir() / "blueprints" / f"{ref}.yaml"
    if not bundled.is_file():
        names = sorted(p.stem for p in (assessment_dir() / "blueprints").glob("*.yaml"))
        raise ExamUsageError(
            f"no bundled blueprint '{ref}'" + (f" (there is: {', '.join(names)})" if names else "")
        )
    return bundled


def load_bank_arg(folder: Path | None) -> Bank:
    from simulator.assessment.bank import load_bank  # noqa: PLC0415

    target = folder or assessment_dir() / "bank"
    if not target.exists():
        raise ExamUsageError(f"{target}: no such folder")
    return load_bank([target])


def _library(args: argparse.Namespace) -> Library:
    from simulator.scenario.library import load_library  # noqa: PLC0415

    extra = getattr(args, "scenarios", []) or []
    for folder in extra:
        if not folder.is_dir():
            raise ExamUsageError(f"--scenarios {folder}: no such folder")
    return load_library(bundled_dir(), extra, strict=False)


def load_exam_inputs(args: argparse.Namespace) -> tuple[Blueprint, Bank, Library]:
    """The blueprint, bank and library of a command, checked to draw a full exam."""
    from simulator.assessment.blueprint import check_blueprint, load_blueprint  # noqa: PLC0415
    from simulator.scenario.errors import ScenarioError  # noqa: PLC0415

    bp = load_blueprint(blueprint_path(args.blueprint))
    bank = load_bank_arg(args.bank)
    lib = _library(args)
    problems = check_blueprint(bp, bank, lib.scenarios)
    if problems:
        raise ScenarioError(problems)
    return bp, bank, lib


# Commands.


def cmd_keygen(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.signing import generate  # noqa: PLC0415

    private, public, kid = generate(args.output)
    print(t(lang, "exam_keygen_done", private=private, public=public, key_id=kid), file=out)
    return EXIT_OK


def _read_result_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExamUsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def cmd_verify(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.signing import load_public, verify  # noqa: PLC0415

    public = load_public(args.key)
    check = verify(_read_result_file(args.result), public)
    if check.valid:
        r = check.result or {}
        print(
            t(
                lang,
                "exam_valid",
                path=args.result,
                candidate=r.get("candidate"),
                blueprint=(r.get("blueprint") or {}).get("id"),
                verdict=t(lang, "passed" if r.get("passed") else "failed"),
                key_id=check.key_id,
            ),
            file=out,
        )
        return EXIT_OK
    print(t(lang, "exam_invalid", path=args.result), file=out)
    for problem in check.problems:
        print(f"  - {problem}", file=out)
    return EXIT_PROBLEMS


def _is_bank_file(path: Path) -> bool:
    from simulator.scenario.errors import ScenarioError  # noqa: PLC0415
    from simulator.scenario.yamlsafe import YMap, read_yaml  # noqa: PLC0415

    if path.parent.name == "bank":
        return True
    if path.parent.name == "blueprints":
        return False
    try:
        root = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(root, YMap) and "items" in root.items and "sections" not in root.items


def cmd_validate(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.bank import bank_files, load_bank  # noqa: PLC0415
    from simulator.assessment.blueprint import check_blueprint, load_blueprint  # noqa: PLC0415
    from simulator.scenario.errors import Mark, Problem, ScenarioError  # noqa: PLC0415

    paths: list[Path] = args.paths or [assessment_dir() / "bank", assessment_dir() / "blueprints"]
    problems: list[Problem] = []
    unusable = False
    bank_paths: list[Path] = []
    blueprint_paths: list[Path] = []
    for target in paths:
        if not target.exists():
            problems.append(Problem(target, Mark(1, 1), "no such file or folder", "check the path"))
            unusable = True
        elif target.is_dir() and target.name == "blueprints":
            blueprint_paths += sorted(target.glob("*.yaml"))
        elif target.is_dir():
            bank_paths += bank_files([target])
        elif _is_bank_file(target):
            bank_paths.append(target)
        else:
            blueprint_paths.append(target)
    bank = None
    if bank_paths:
        try:
            bank = load_bank(bank_paths)
        except ScenarioError as exc:
            problems += exc.problems
            unusable = unusable or exc.unusable
    elif blueprint_paths:
        try:
            bank = load_bank_arg(args.bank)
        except ScenarioError as exc:
            problems += exc.problems
    lib = _library(args) if blueprint_paths else None
    for path in blueprint_paths:
        try:
            bp = load_blueprint(path)
        except ScenarioError as exc:
            problems += exc.problems
            unusable = unusable or exc.unusable
            continue
        problems += check_blueprint(bp, bank, lib.scenarios if lib else None)
    for problem in problems:
        print(problem, file=out)
    n = len(bank_paths) + len(blueprint_paths)
    if problems:
        print(t(lang, "problems_found", n=len(problems)), file=sys.stderr)
    else:
        items = len(bank.items) if bank is not None and bank_paths else 0
        print(t(lang, "exam_validated", n=n, items=items), file=sys.stderr)
    if unusable:
        return EXIT_USAGE
    return EXIT_PROBLEMS if problems else EXIT_OK


def draw_dict(args: argparse.Namespace, lang: Lang) -> dict[str, Any]:
    """The drawn exam as shown to the candidate: no correct option, key point or
    explanation is in it."""
    from simulator.assessment.exam import CallTask, Exam, Question, TicketTask  # noqa: PLC0415

    bp, bank, lib = load_exam_inputs(args)
    exam = Exam.new(bp, bank, lib, args.candidate, args.seed, lang=lang)
    sections: list[dict[str, Any]] = []
    for sp in exam.sections:
        items: list[dict[str, Any]] = []
        for view in exam.items(sp.id):
            entry: dict[str, Any] = {"key": view.key, "number": view.number}
            if isinstance(view, Question):
                entry.update(
                    kind=view.kind,
                    topic=view.topic,
                    tier=view.tier,
                    points=view.points,
                    question=view.text.get(lang),
                )
                if view.options:
                    entry["options"] = [
                        {"id": o.id, "text": o.text.get(lang)} for o in view.options
                    ]
            elif isinstance(view, CallTask):
                entry.update(
                    scenario=view.scenario_id,
                    title=view.title.get(lang),
                    tier=view.tier,
                    points=view.points,
                    seed=sp.items[view.number - 1].seed,
                )
            elif isinstance(view, TicketTask):
                entry.update(
                    scenario=view.scenario_id,
                    call=view.call_key,
                    title=view.title.get(lang),
                    points=view.points,
                )
            items.append(entry)
        s = sp.section
        sections.append(
            {
                "id": s.id,
                "kind": s.kind,
                "title": s.title.get(lang),
                "time_limit_s": s.time_limit_s,
                "pass_percent": s.passing.percent,
                "items": items,
            }
        )
    return {
        "candidate": exam.candidate,
        "seed": exam.plan.seed,
        "blueprint": {"id": bp.id, "version": bp.version, "sha256": bp.digest},
        "bank_sha256": bank.digest,
        "sections": sections,
    }


def cmd_draw(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    data = draw_dict(args, lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), file=out)
        return EXIT_OK
    print(
        t(lang, "exam_draw_header", candidate=data["candidate"], seed=data["seed"])
        + f" · {data['blueprint']['id']} v{data['blueprint']['version']}",
        file=out,
    )
    for n, s in enumerate(data["sections"], start=1):
        print(file=out)
        print(
            t(
                lang,
                "exam_draw_section",
                n=n,
                title=s["title"],
                count=len(s["items"]),
                minutes=s["time_limit_s"] // 60,
                percent=s["pass_percent"],
            ),
            file=out,
        )
        for it in s["items"]:
            if "question" in it:
                print(
                    f"  {it['number']:>3}. [{it['kind']}, {it['tier']}, {it['topic']}] "
                    f"{it['question']}",
                    file=out,
                )
                for letter, opt in zip("ABCDEF", it.get("options", []), strict=False):
                    print(f"       {letter}. {opt['text']}", file=out)
            else:
                print(f"  {it['number']:>3}. {it['title']} ({it['scenario']})", file=out)
    return EXIT_OK


def _exam_store(args: argparse.Namespace) -> Any:
    from simulator.store.exams import ExamStore  # noqa: PLC0415
    from simulator.store.store import Store  # noqa: PLC0415

    return ExamStore(Store(getattr(args, "db", None)))


def _candidate(text: str) -> str:
    from simulator.assessment.draw import candidate_id  # noqa: PLC0415

    return candidate_id(text)


def cmd_start(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    """The exam in the TUI (simulator/tui/exam_app.py); every answer is in the store
    before the screen moves on, so running it again resumes the attempt."""
    from simulator.assessment.draw import check_seed  # noqa: PLC0415
    from simulator.assessment.signing import load_private  # noqa: PLC0415
    from simulator.store.errors import StoreError  # noqa: PLC0415
    from simulator.store.exams import open_exam  # noqa: PLC0415
    from simulator.store.location import resolve_url  # noqa: PLC0415
    from simulator.store.store import Store  # noqa: PLC0415

    key = load_private(args.key) if args.key else None  # a bad key fails before the exam
    if args.seed is not None:
        check_seed(args.seed)
    bp, bank, lib = load_exam_inputs(args)
    try:
        store = Store(resolve_url(getattr(args, "db", None)))
    except StoreError as exc:
        raise ExamUsageError(str(exc)) from None
    try:
        try:
            opened = open_exam(store, bp, bank, lib, args.candidate, seed=args.seed, lang=lang)
        except StoreError as exc:
            raise ExamUsageError(str(exc)) from None
        from simulator.tui.exam_app import ExamApp  # noqa: PLC0415

        exam = opened.exam
        output = args.output or Path(f"{exam.candidate}-{bp.id}-result.json")
        app = ExamApp(exam, lib, lang, key=key, output=output, resumed=opened.resumed)
        app.run()
    finally:
        store.close()
    if not exam.finished:
        print(t(lang, "exam_start_paused"), file=out)
        return EXIT_OK
    verdict = t(lang, "passed" if exam.overall().passed else "failed")
    print(t(lang, "exam_start_done", verdict=verdict), file=out)
    if app.result_path is not None:
        print(t(lang, "exam_result_saved", path=app.result_path), file=out)
    elif app.result_error is not None:
        print(t(lang, "exam_result_failed", why=app.result_error), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_result(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.blueprint import load_blueprint  # noqa: PLC0415
    from simulator.assessment.signing import dumps, load_private, sign  # noqa: PLC0415
    from simulator.report.atomic import write_atomic  # noqa: PLC0415

    key = load_private(args.key)
    bp = load_blueprint(blueprint_path(args.blueprint))
    cand = _candidate(args.candidate)
    exams = _exam_store(args)
    try:
        done = [a for a in exams.attempts(cand, bp.id) if a.result is not None]
    finally:
        exams.store.close()
    if not done:
        raise ExamUsageError(f"'{cand}' has no finished attempt at '{bp.id}' in the store")
    result = done[-1].result
    text = dumps(sign(result, key))
    if args.output:
        write_atomic(args.output, text)
        verdict = t(lang, "passed" if result["passed"] else "failed")
        print(
            t(lang, "exam_result_written", path=args.output, candidate=cand, verdict=verdict),
            file=sys.stderr,
        )
    else:
        print(text, end="", file=out)
    return EXIT_OK


def cmd_allow(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.blueprint import load_blueprint  # noqa: PLC0415
    from simulator.store.errors import StoreError  # noqa: PLC0415

    bp = load_blueprint(blueprint_path(args.blueprint))
    cand = _candidate(args.candidate)
    exams = _exam_store(args)
    try:
        exams.allow_retake(cand, bp.id)
        left = exams.attempts_left(cand, bp)
    except StoreError as exc:
        raise ExamUsageError(str(exc)) from None
    finally:
        exams.store.close()
    print(t(lang, "exam_allowed", candidate=cand, blueprint=bp.id, n=left), file=out)
    return EXIT_OK


def cmd_abandon(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.assessment.blueprint import load_blueprint  # noqa: PLC0415

    bp = load_blueprint(blueprint_path(args.blueprint))
    cand = _candidate(args.candidate)
    exams = _exam_store(args)
    try:
        attempt = exams.open_attempt(cand, bp.id)
        if attempt is None:
            raise ExamUsageError(f"'{cand}' has no open attempt at '{bp.id}'")
        exams.abandon(attempt.id)
    finally:
        exams.store.close()
    print(t(lang, "exam_abandoned", candidate=cand, blueprint=bp.id), file=out)
    return EXIT_OK


def cmd_attempts(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    exams = _exam_store(args)
    try:
        rows = exams.attempts(_candidate(args.candidate) if args.candidate else None)
    finally:
        exams.store.close()
    for a in rows:
        verdict = "" if a.passed is None else t(lang, "passed" if a.passed else "failed")
        print(
            f"{a.started_at:%Y-%m-%d %H:%M}  {a.candidate:<16} {a.blueprint_id:<12} "
            f"{a.status:<10} {a.total_percent or '':>6} {verdict}"
            + ("  (+1)" if a.retake_allowed else ""),
            file=out,
        )
    return EXIT_OK


def _verified(path: Path, key: Path | None) -> tuple[dict[str, Any], str]:
    """A result file's result and its check: 'valid', 'invalid: …' or 'unchecked'."""
    from simulator.assessment.signing import load_public, parse, verify  # noqa: PLC0415

    data = _read_result_file(path)
    if key is not None:
        check = verify(data, load_public(key))
        if check.result is None:
            raise ExamUsageError(f"{path}: {'; '.join(check.problems)}")
        status = "valid" if check.valid else "invalid: " + "; ".join(check.problems)
        return check.result, status
    try:
        doc = parse(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExamUsageError(f"{path}: not a result file ({exc})") from None
    result = doc.get("result")
    if not isinstance(result, dict):
        raise ExamUsageError(f"{path}: not a result file (no `result` object)")
    return result, "unchecked"


def cmd_report(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.report.atomic import write_atomic  # noqa: PLC0415
    from simulator.report.exam_report import html_page  # noqa: PLC0415
    from simulator.scenario.errors import ScenarioError  # noqa: PLC0415

    result, status = _verified(args.result, args.key)
    try:
        bank = load_bank_arg(args.bank)
    except ScenarioError:
        bank = None  # the report still shows the figures, without question texts
    lib = _library(args)
    text = html_page(result, lang, bank=bank, library=lib, signature=status)
    if args.output:
        write_atomic(args.output, text)
    else:
        print(text, end="", file=out)
    return EXIT_OK if not status.startswith("invalid") else EXIT_PROBLEMS


def cmd_cohort(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    from simulator.report.atomic import atomic_writer  # noqa: PLC0415
    from simulator.report.cohort import write_cohort_csv  # noqa: PLC0415

    rows = [_verified(path, args.key) for path in args.results]
    lib = _library(args)
    tag_names = {tid: tag.name for tid, tag in lib.tags.items()}
    if args.output:
        with atomic_writer(args.output) as fh:
            n = write_cohort_csv(rows, fh, lang, tag_names)
        print(t(lang, "exam_cohort_written", path=args.output, n=n), file=sys.stderr)
    else:
        write_cohort_csv(rows, out, lang, tag_names)
    return EXIT_PROBLEMS if any(s.startswith("invalid") for _, s in rows) else EXIT_OK
