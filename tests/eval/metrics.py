"""The evaluation of the phrase rules and the transcript scorer on the sets in tests/eval/.

`make eval` prints the figures (tests/eval/run.py); tests/test_freetext_eval.py holds the
acceptance thresholds. Both read the same files through the project's safe YAML reader.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from simulator.scenario.errors import ScenarioError
from simulator.scenario.model import LANGS, Lang, TagDef
from simulator.scenario.reader import Reader
from simulator.scenario.yamlsafe import YNode, YSeq, read_yaml
from simulator.scoring.analyse import analyse
from simulator.scoring.phrase_rules import PhraseBook

EVAL_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    tags: frozenset[str]
    where: str  # file:line, for the report


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, item: Labelled, found: set[str], covered: set[str]) -> None:
        expected = set(item.tags) & covered
        found = found & covered
        for tag in found & expected:
            self.tp[tag] += 1
        for tag in found - expected:
            self.fp[tag] += 1
            self.misses.append(f"{item.where}: extra {tag}: {item.text}")
        for tag in expected - found:
            self.fn[tag] += 1
            self.misses.append(f"{item.where}: missed {tag}: {item.text}")

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def precision(self, tag: str | None = None) -> float:
        tp = self.tp[tag] if tag else sum(self.tp.values())
        fp = self.fp[tag] if tag else sum(self.fp.values())
        return self._ratio(tp, tp + fp)

    def recall(self, tag: str | None = None) -> float:
        tp = self.tp[tag] if tag else sum(self.tp.values())
        fn = self.fn[tag] if tag else sum(self.fn.values())
        return self._ratio(tp, tp + fn)

    def tags(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def covered_tags(book: PhraseBook) -> set[str]:
    """The tags some rule is responsible for: only these are scored."""
    return {r.label for r in book.rules if r.speaker == "agent"}


def read_labelled(path: Path, tags: dict[str, TagDef]) -> list[Labelled]:
    r = Reader(path)
    root = r.mapping(read_yaml(path), "the evaluation file")
    out: list[Labelled] = []
    if root is None or not r.keys(
        root, "the evaluation file", ["schema_version", "lang", "utterances"]
    ):
        raise ScenarioError(r.problems)
    seq = r.sequence(cast(YNode, r.get(root, "utterances")), "utterances")
    for i, node in enumerate(seq.items if seq else []):
        m = r.mapping(node, f"utterance {i + 1}")
        if m is None or not r.keys(m, f"utterance {i + 1}", ["say", "tags"]):
            continue
        text = r.string(cast(YNode, r.get(m, "say")), f"utterance {i + 1} say")
        tag_seq = r.sequence(cast(YNode, r.get(m, "tags")), f"utterance {i + 1} tags")
        labels = _tag_list(r, tag_seq, tags, f"utterance {i + 1}")
        if text is not None and labels is not None:
            out.append(Labelled(text, labels, f"{path.name}:{m.mark.line}"))
    if r.problems:
        raise ScenarioError(r.problems)
    return out


def _tag_list(
    r: Reader, seq: YSeq | None, tags: dict[str, TagDef], what: str
) -> frozenset[str] | None:
    if seq is None:
        return None
    labels: set[str] = set()
    for item in seq.items:
        value = r.ident(item, f"{what} tag")
        if value is None:
            return None
        if value not in tags:
            r.problem(item.mark, f"{what}: unknown tag '{value}'")
            return None
        labels.add(value)
    return frozenset(labels)


def utterance_file(lang: Lang) -> Path:
    return EVAL_DIR / f"utterances-{lang}.yaml"


def tally_utterances(book: PhraseBook, items: list[Labelled], tally: Tally | None = None) -> Tally:
    tally = tally or Tally()
    covered = covered_tags(book)
    for item in items:
        tally.add(item, set(analyse(item.text, book).tags), covered)
    return tally


__all__ = ["LANGS", "Labelled", "Tally", "covered_tags", "read_labelled", "tally_utterances"]


@dataclass(frozen=True, slots=True)
class EvalCall:
    id: str
    lang: Lang
    situation: str
    persona: str
    quality: str  # good | mediocre | bad
    expect_findings: tuple[str, ...]
    absent_findings: tuple[str, ...]
    lines: tuple[tuple[str, str, frozenset[str] | None], ...]  # speaker name, text, agent tags
    path: Path


QUALITIES = ("good", "mediocre", "bad")
PERSONAS = ("angry", "confused", "demanding", "talkative")


def transcript_files() -> list[Path]:
    return sorted((EVAL_DIR / "transcripts").glob("*.yaml"))


def read_call(path: Path, tags: dict[str, TagDef]) -> EvalCall:
    r = Reader(path)
    root = r.mapping(read_yaml(path), "the evaluation transcript")
    keys = ["schema_version", "lang", "situation", "persona", "quality", "lines"]
    if root is None or not r.keys(
        root, "the evaluation transcript", keys, ["expect_findings", "absent_findings"]
    ):
        raise ScenarioError(r.problems)

    def word(key: str, options: tuple[str, ...] | None = None) -> str:
        node = cast(YNode, r.get(root, key))
        value = r.choice_of(node, key, options) if options else r.string(node, key)
        return value or ""

    def ids(key: str) -> tuple[str, ...]:
        node = r.get(root, key)
        seq = None if node is None else r.sequence(node, key)
        return tuple(v for i in (seq.items if seq else []) if (v := r.string(i, key)))

    lines: list[tuple[str, str, frozenset[str] | None]] = []
    seq = r.sequence(cast(YNode, r.get(root, "lines")), "lines")
    for i, item in enumerate(seq.items if seq else []):
        row = r.sequence(item, f"line {i + 1}")
        if row is None or len(row.items) not in (2, 3):
            r.problem(item.mark, f"line {i + 1} must be [speaker, text] or [speaker, text, tags]")
            continue
        who = r.string(row.items[0], f"line {i + 1} speaker")
        text = r.string(row.items[1], f"line {i + 1} text")
        labels = None
        if len(row.items) == 3:
            labels = _tag_list(r, r.sequence(row.items[2], f"line {i + 1} tags"), tags, "line")
        if who and text:
            lines.append((who, text, labels))
    call = EvalCall(
        path.stem,
        cast(Lang, word("lang", LANGS)),
        word("situation"),
        word("persona", PERSONAS),
        word("quality", QUALITIES),
        ids("expect_findings"),
        ids("absent_findings"),
        tuple(lines),
        path,
    )
    if r.problems:
        raise ScenarioError(r.problems)
    return call


def call_as_json(call: EvalCall) -> bytes:
    """The call as the `[speaker, text]` JSON list the command reads."""
    import json  # noqa: PLC0415

    return json.dumps([[w, t] for w, t, _ in call.lines], ensure_ascii=False).encode()


def labelled_lines(call: EvalCall) -> list[Labelled]:
    return [
        Labelled(text, labels, f"{call.path.name}:{i + 1}")
        for i, (_, text, labels) in enumerate(call.lines)
        if labels is not None and not text.startswith(("(", "（"))
    ]


@dataclass
class CallResult:
    call: EvalCall
    total: float
    service_level: str
    finding_ids: tuple[str, ...]
    missing: tuple[str, ...]  # expected findings not produced
    unwanted: tuple[str, ...]  # findings produced that the call says must be absent


def score_call_file(call: EvalCall, tags: dict[str, TagDef], book: PhraseBook) -> CallResult:
    from simulator.scenario.library import bundled_dir, load_support  # noqa: PLC0415
    from simulator.scoring.transcript_input import read_transcript  # noqa: PLC0415
    from simulator.scoring.transcript_review import review_transcript  # noqa: PLC0415

    _, rubric, _ = load_support(bundled_dir())
    utterances = read_transcript(call.path.with_suffix(".json"), call_as_json(call), book)
    review = review_transcript(utterances, call.lang, tags, rubric, book)
    ids = tuple(f.id for f in review.findings)
    missing = tuple(f for f in call.expect_findings if f not in ids)
    unwanted = tuple(f for f in call.absent_findings if f in ids)
    return CallResult(call, review.score.total, review.service_level, ids, missing, unwanted)


@dataclass
class Evaluation:
    tallies: dict[str, Tally]
    calls: list[CallResult]
    sizes: dict[str, int]  # labelled utterances per language (sentences + transcript lines)

    def rank_violations(self) -> list[str]:
        """Every pair of the same situation where a worse call scored at least as high."""
        out = []
        order = {q: i for i, q in enumerate(QUALITIES)}
        for a in self.calls:
            for b in self.calls:
                if a.call.situation != b.call.situation:
                    continue
                if order[a.call.quality] < order[b.call.quality] and a.total <= b.total:
                    out.append(
                        f"{a.call.id} ({a.total:g}) does not outrank {b.call.id} ({b.total:g})"
                    )
        return out


def evaluate() -> Evaluation:
    from simulator.scenario.library import bundled_dir  # noqa: PLC0415
    from simulator.scenario.loader import load_tags  # noqa: PLC0415
    from simulator.scoring.phrase_rules import bundled_phrase_book  # noqa: PLC0415

    tags = load_tags(bundled_dir() / "tags.yaml")
    tallies: dict[str, Tally] = {}
    sizes: dict[str, int] = {}
    calls = [read_call(p, tags) for p in transcript_files()]
    results: list[CallResult] = []
    for lang in LANGS:
        book = bundled_phrase_book(lang)
        items = read_labelled(utterance_file(lang), tags)
        for call in calls:
            if call.lang == lang:
                items += labelled_lines(call)
                results.append(score_call_file(call, tags, book))
        tallies[lang] = tally_utterances(book, items)
        sizes[lang] = len(items)
    results.sort(key=lambda r: (-r.total, r.call.id))
    return Evaluation(tallies, results, sizes)


def library_agreement() -> dict[str, Tally]:
    """The rules against the authors' own tags on every bundled reply: not a target (authors
    tag intent, and choose which tags matter), a measure of what the rules miss."""
    from simulator.scenario.library import load_library  # noqa: PLC0415
    from simulator.scoring.phrase_rules import bundled_phrase_book  # noqa: PLC0415

    lib = load_library()
    out: dict[str, Tally] = {}
    for lang in LANGS:
        book = bundled_phrase_book(lang)
        tally = Tally()
        covered = covered_tags(book)
        for sc in lib.scenarios.values():
            for st in sc.states.values():
                for c in st.choices:
                    item = Labelled(c.text.get(lang), frozenset(c.tags), f"{sc.id}/{c.id}")
                    tally.add(item, set(analyse(item.text, book).tags), covered)
        out[lang] = tally
    return out


def holdout() -> dict[str, Tally]:
    """The held-out sentences (tests/eval/holdout-*.yaml): written after the rules were
    frozen and never used to change them; reported, not asserted."""
    from simulator.scenario.library import bundled_dir  # noqa: PLC0415
    from simulator.scenario.loader import load_tags  # noqa: PLC0415
    from simulator.scoring.phrase_rules import bundled_phrase_book  # noqa: PLC0415

    tags = load_tags(bundled_dir() / "tags.yaml")
    return {
        lang: tally_utterances(
            bundled_phrase_book(lang), read_labelled(EVAL_DIR / f"holdout-{lang}.yaml", tags)
        )
        for lang in LANGS
    }


@dataclass(frozen=True, slots=True)
class MatchCase:
    lang: Lang
    where: str
    expect: str | None
    got: str | None
    similarity: float


def matching() -> list[MatchCase]:
    """tests/eval/matching.yaml: typed replies and the choice each should be understood as."""
    from simulator.scenario.library import load_library  # noqa: PLC0415
    from simulator.scoring.matcher import match_reply  # noqa: PLC0415

    lib = load_library()
    path = EVAL_DIR / "matching.yaml"
    r = Reader(path)
    root = r.mapping(read_yaml(path), "the matching file")
    seq = r.sequence(cast(YNode, r.get(root, "cases")), "cases") if root else None
    out: list[MatchCase] = []
    for node in seq.items if seq else []:
        m = r.mapping(node, "case")
        if m is None:
            continue
        field_of = {k: r.string(v, k) for k, (_, v) in m.items.items()}
        sc, st = lib.scenarios[field_of["scenario"] or ""], field_of["state"] or ""
        lang = cast(Lang, field_of["lang"])
        result = match_reply(field_of["typed"] or "", sc.states[st].choices, lang, lib.tags)
        expect = field_of["expect"]
        out.append(
            MatchCase(
                lang,
                f"{path.name}:{m.mark.line}",
                None if expect == "none" else expect,
                result.choice.id if result.choice else None,
                result.similarity,
            )
        )
    if r.problems:
        raise ScenarioError(r.problems)
    return out
