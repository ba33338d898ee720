"""`calldrill score-transcript FILE`: a recorded call scored against the rubric.

The report is plain text written to standard output; transcript text is printed as
written (control characters removed), never interpreted as markup.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from simulator.i18n import t
from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.library import bundled_dir, load_support
from simulator.scenario.loader import load_tags
from simulator.scenario.model import DIMENSIONS, Lang, TagDef
from simulator.scoring.phrase_rules import PhraseBook, bundled_phrase_book, load_phrase_book
from simulator.scoring.transcript_input import MAX_BYTES, read_transcript
from simulator.scoring.transcript_review import (
    TranscriptReview,
    cue_name,
    level_name,
    review_transcript,
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "score-transcript",
        help="score a recorded call (text, YAML or JSON) against the rubric",
        parents=[common],
    )
    p.add_argument(
        "file", type=Path, help="the transcript: `客服：…` / `Agent: …` lines, or YAML/JSON"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--rules",
        type=Path,
        metavar="FILE",
        help="phrase rules to use instead of the bundled ones (to try your own)",
    )


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise _error(path, "no such file" if not path.exists() else "not a file", "check the path")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # never more, however large the file is
    except OSError as exc:
        raise _error(path, f"cannot read it: {exc.strerror or exc}", "check the path") from None
    return data


def _error(path: Path, message: str, fix: str) -> ScenarioError:
    return ScenarioError([Problem(path, Mark(1, 1), message, fix)], unusable=True)


def guess_lang(data: bytes) -> Lang:
    """Chinese when the transcript has at least as many Chinese characters as Latin letters."""
    sample = data[:65536].decode("utf-8", errors="ignore")
    return "zh" if len(_CJK.findall(sample)) * 3 >= len(_LATIN.findall(sample)) else "en"


def cmd_score_transcript(args: argparse.Namespace, out: TextIO) -> int:
    path: Path = args.file
    data = _read(path)
    lang: Lang = args.lang or guess_lang(data)
    tags, rubric, _ = load_support(bundled_dir())
    book = _book(args.rules, lang, tags)
    utterances = read_transcript(path, data, book)
    review = review_transcript(utterances, lang, tags, rubric, book)
    if args.json:
        print(json.dumps(review.as_dict(), ensure_ascii=False, indent=2, sort_keys=True), file=out)
    else:
        print(report(review, tags, path.name), end="", file=out)
    return 0


def _book(rules: Path | None, lang: Lang, tags: dict[str, TagDef]) -> PhraseBook:
    if rules is None:
        return bundled_phrase_book(lang)
    if not rules.is_file():
        raise _error(rules, "no such file", "give the path of a phrase file (docs/free-text.md)")
    book = load_phrase_book(rules, tags or load_tags(bundled_dir() / "tags.yaml"))
    if book.lang != lang:
        raise _error(
            rules,
            f"these rules are for '{book.lang}', the transcript is scored in '{lang}'",
            f"pass --lang {book.lang}, or rules with `lang: {lang}`",
        )
    return book


def _quote(lang: Lang, words: str) -> str:
    return f"「{words}」" if lang == "zh" else f"“{words}”"


def report(review: TranscriptReview, tags: dict[str, TagDef], name: str) -> str:
    """The reviewer's notes: score, then utterance by utterance, then the whole call."""
    lang = review.lang
    s = review.score
    lines = [t(lang, "st_title", file=name), ""]
    verdict = t(lang, "passed") if s.passed else t(lang, "failed")
    lines.append(
        t(
            lang,
            "st_total",
            total=f"{s.total:g}",
            verdict=verdict,
            mark=s.pass_mark,
            level=level_name(lang, review.service_level),
        )
    )
    lines.append("  " + " · ".join(f"{t(lang, d)} {s.dimensions[d]:g}/25" for d in DIMENSIONS))
    lines += ["", t(lang, "st_utterances")]
    for n, r in enumerate(review.utterances, start=1):
        u = r.utterance
        who = t(lang, "st_agent") if u.speaker == "agent" else t(lang, "customer")
        colon = "：" if lang == "zh" else ": "
        lines.append(f"#{n} {who}{colon}{u.text}")
        if u.speaker == "customer":
            for h in r.hits:
                lines.append(f"     · {cue_name(lang, h.tag)} {_quote(lang, h.text)}")
            continue
        words: dict[str, list[str]] = {}
        for h in r.hits:
            words.setdefault(h.tag, []).append(_quote(lang, h.text))
        for tag, quoted in words.items():
            said = ("" if lang == "zh" else ", ").join(quoted)
            tdef = tags[tag]
            if sum(tdef.points.values()) < 0:
                better = tdef.better.get(lang) if tdef.better else ""
                lines.append(
                    f"     ✗ {tdef.name.get(lang)} {said} → {t(lang, 'st_better')}: {better}"
                )
            else:
                lines.append(f"     ✓ {tdef.name.get(lang)} {said}")
    lines += ["", t(lang, "st_findings")]
    lines += [f"  - {f.message}" for f in review.findings]
    gained: Counter[str] = Counter()
    for r in review.utterances:
        for tag in r.tags:
            value = sum(tags[tag].points.values())
            if value > 0:
                gained[tag] += value
    if gained:
        lines += ["", t(lang, "st_strengths")]
        lines += [f"  + {tags[tag].name.get(lang)}" for tag, _ in gained.most_common(3)]
    return "\n".join(lines) + "\n"
