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
