"""A recorded call read from a file: plain text with speaker prefixes, or a YAML / JSON
list of ``[speaker, text]``. The formats are documented in docs/free-text.md.

Everything here treats the file as hostile: a size limit is checked before reading,
binary data and other encodings are refused with the line and column where decoding
failed, control characters are stripped, and nothing is ever interpreted as markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from simulator.scenario.errors import Mark, Problem, ScenarioError
from simulator.scenario.text import strip_control
from simulator.scenario.yamlsafe import YScalar, YSeq, read_yaml
from simulator.scoring.normalise import normalise
from simulator.scoring.phrase_rules import PhraseBook

MAX_BYTES = 2 * 1024 * 1024  # an hour-long call is about 50 KB of text
MAX_UTTERANCES = 5000
MAX_CHARS = 4000  # one utterance

AGENT_NAMES = ("客服", "坐席", "座席", "话务员", "客服代表", "agent", "csr", "rep")
CUSTOMER_NAMES = ("客户", "顾客", "用户", "来电人", "customer", "caller", "client")
_NAMES = "|".join(sorted((*AGENT_NAMES, *CUSTOMER_NAMES), key=len, reverse=True))
# Optional time stamp ("[00:01:23]" or "00:01"), a speaker, a half- or full-width colon
# (or none before a stage direction: "Customer (hangs up)").
_PREFIX = re.compile(
    rf"^\s*(?:\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]?\s*)?({_NAMES})\s*(?:[:：]|(?=[（(]))\s*",
    re.IGNORECASE,
)
_DIRECTION = re.compile(r"[（(]([^（()）]{1,80})[)）]")
_WHOLE_DIRECTION = re.compile(r"^\s*[（(]([^（()）]{1,80})[)）]\s*$")
_AGENT_WORDS = ("客服", "坐席", "座席", "话务员", "agent")
_CUSTOMER_WORDS = ("客户", "顾客", "用户", "customer", "caller")


@dataclass(frozen=True, slots=True)
class Utterance:
    speaker: str  # "agent" | "customer"
    text: str  # the words (stage directions taken out), control characters removed
    line: int  # where it starts in the file (1-based; 0 when the format has no lines)
    event: str | None = None  # "hang-up" or "direction" for a stage direction


def _problem(path: Path, line: int, col: int, message: str, fix: str) -> ScenarioError:
    return ScenarioError([Problem(path, Mark(line, col), message, fix)], unusable=True)


def speaker_of(name: str) -> str | None:
    low = name.strip().lower()
    if low in AGENT_NAMES:
        return "agent"
    if low in CUSTOMER_NAMES:
        return "customer"
    return None


def decode(path: Path, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _problem(
            path,
            1,
            1,
            f"the file is {len(data):,} bytes, over the {MAX_BYTES // (1024 * 1024)} MiB limit "
            "for one call",
            "score one call per file",
        )
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data[:at].count(b"\n") + 1
        col = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise _problem(
            path, line, col, "the file holds binary data, not text", "give a text transcript"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(
            path,
            line,
            col,
            "the file is not UTF-8 text",
            "save it as UTF-8 (e.g. `iconv -f GBK -t UTF-8 in.txt > out.txt`)",
        ) from None


def read_transcript(path: Path, data: bytes, book: PhraseBook) -> list[Utterance]:
    """The utterances of one call; raises ScenarioError (file:line:col) on bad input."""
    text = decode(path, data)
    if not text.strip():
        raise _problem(path, 1, 1, "the file is empty", "write one utterance per line: `客服：…`")
    head = text.lstrip()[:1]
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and head in "[{"):
        pairs = _json_pairs(path, text)
    elif suffix in (".yaml", ".yml"):
        pairs = _yaml_pairs(path, data)
    else:
        return _plain(path, text, book)
    out: list[Utterance] = []
    for speaker, words, line in pairs:
        out.extend(_split(words, speaker, line, book))
    return _checked(path, out)


def _checked(path: Path, out: list[Utterance]) -> list[Utterance]:
    if len(out) > MAX_UTTERANCES:
        raise _problem(
            path, 1, 1, f"over {MAX_UTTERANCES} utterances in one call", "score one call per file"
        )
    if not any(u.speaker == "agent" and u.text for u in out):
        raise _problem(
            path,
            1,
            1,
            "no agent utterance found, so there is nothing to score",
            "prefix the agent's lines with `客服：` / `坐席：` / `Agent:`",
        )
    return out


def _plain(path: Path, text: str, book: PhraseBook) -> list[Utterance]:
    out: list[Utterance] = []
    current: tuple[str, list[str], int] | None = None
    first_unprefixed: int | None = None

    def flush() -> None:
        if current is not None:
            speaker, parts, line = current
            out.extend(_split(" ".join(parts), speaker, line, book))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = strip_control(raw)
        if not line.strip():
            continue
        m = _PREFIX.match(line)
        if m:
            flush()
            speaker = speaker_of(m.group(1))
            assert speaker is not None
            current = (speaker, [line[m.end() :]], number)
            continue
        whole = _WHOLE_DIRECTION.match(line)
        if whole:  # a stage direction on its own line: "（客户挂断）"
            flush()
            current = None
            previous = out[-1].speaker if out else "customer"
            out.extend(_split(line, _who(whole.group(1), previous), number, book))
            continue
        if current is None:
            first_unprefixed = first_unprefixed or number
            if out:  # text after a stage direction continues nobody: say where it is
                raise _problem(
                    path,
                    number,
                    1,
                    "this line has no speaker",
                    "start it with `客服：` / `客户：` / `Agent:` / `Customer:`",
                )
            continue
        current[1].append(line.strip())
    flush()
    if not out:
        raise _problem(
            path,
            first_unprefixed or 1,
            1,
            "no speaker prefixes found (a line must start with `客服：`, `坐席：`, `客户：`, "
            "`Agent:` or `Customer:`)",
            "prefix every utterance with its speaker, or give a YAML/JSON list of [speaker, text]",
        )
    if first_unprefixed is not None:
        raise _problem(
            path,
            first_unprefixed,
            1,
            "this line comes before the first speaker",
            "start it with `客服：` / `客户：` / `Agent:` / `Customer:`, or remove it",
        )
    return _checked(path, out)


def _who(direction: str, default: str) -> str:
    low = direction.lower()
    if any(w in low for w in _AGENT_WORDS):
        return "agent"
    if any(w in low for w in _CUSTOMER_WORDS):
        return "customer"
    return default


def _event(direction: str, book: PhraseBook) -> str:
    low = normalise(direction, book.lang).text.lower()
    zh = normalise(direction, "zh").text.lower()  # a Chinese direction in an English call
    words = (*book.hang_up, "挂断", "挂机", "挂了", "hangs up", "hung up", "hang up")
    return "hang-up" if any(w in low or w in zh for w in words) else "direction"


def _split(words: str, speaker: str, line: int, book: PhraseBook) -> list[Utterance]:
    """One speaker's turn: the words, and each stage direction as an event of its own."""
    text = strip_control(words)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    out: list[Utterance] = []
    events: list[Utterance] = []
    for m in _DIRECTION.finditer(text):
        who = _who(m.group(1), speaker)
        events.append(Utterance(who, m.group(0).strip(), line, _event(m.group(1), book)))
    speech = _DIRECTION.sub(" ", text).strip()
    speech = re.sub(r"\s{2,}", " ", speech)
    leading = _DIRECTION.match(text.lstrip())
    if leading:  # "（叹气）那好吧": the direction came first
        out.extend(events[:1])
        events = events[1:]
    if speech:
        out.append(Utterance(speaker, speech, line))
    out.extend(events)
    return out


def _json_pairs(path: Path, text: str) -> list[tuple[str, str, int]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _problem(
            path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}", "check brackets and quotes"
        ) from None
    except RecursionError:
        raise _problem(path, 1, 1, "the JSON is nested too deeply", "give a flat list") from None
    if not isinstance(data, list):
        raise _problem(
            path, 1, 1, "the JSON must be a list of [speaker, text]", 'e.g. [["客服", "您好"]]'
        )
    out: list[tuple[str, str, int]] = []
    for i, item in enumerate(data, start=1):
        pair = item
        if isinstance(item, dict) and set(item) == {"speaker", "text"}:
            pair = [item["speaker"], item["text"]]
        ok = isinstance(pair, list) and len(pair) == 2
        if not ok or not all(isinstance(v, str) for v in pair):
            raise _problem(
                path,
                1,
                1,
                f"item {i} is not a [speaker, text] pair of two strings",
                'write each utterance as ["客服", "您好……"]',
            )
        speaker = speaker_of(pair[0])
        if speaker is None:
            raise _problem(
                path, 1, 1, f"item {i}: unknown speaker '{strip_control(pair[0])[:40]}'", _WHO_FIX
            )
        out.append((speaker, pair[1], 0))
    return out


_WHO_FIX = "use 客服 / 坐席 / 客户 / agent / customer"


def _yaml_pairs(path: Path, data: bytes) -> list[tuple[str, str, int]]:
    root = read_yaml(path, data)
    if not isinstance(root, YSeq):
        raise _problem(
            path,
            root.mark.line,
            root.mark.column,
            "the YAML must be a list of [speaker, text]",
            "write each utterance as `- [客服, 您好……]`",
        )
    out: list[tuple[str, str, int]] = []
    for i, item in enumerate(root.items, start=1):
        good = (
            isinstance(item, YSeq)
            and len(item.items) == 2
            and all(isinstance(v, YScalar) for v in item.items)
        )
        if not good:
            raise _problem(
                path,
                item.mark.line,
                item.mark.column,
                f"item {i} is not a [speaker, text] pair",
                "write each utterance as `- [客服, 您好……]`",
            )
        assert isinstance(item, YSeq)
        who, words = item.items
        assert isinstance(who, YScalar) and isinstance(words, YScalar)
        speaker = speaker_of(who.value)
        if speaker is None:
            raise _problem(
                path,
                who.mark.line,
                who.mark.column,
                f"unknown speaker '{strip_control(who.value)[:40]}'",
                _WHO_FIX,
            )
        out.append((speaker, words.value, item.mark.line))
    return out
