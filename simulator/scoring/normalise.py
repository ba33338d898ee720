"""Text as the phrase rules see it, with a map back to what was written.

Chinese is matched after three steps: NFKC (full-width letters, digits and punctuation
become their ASCII forms: ``，`` → ``,``, ``１２`` → ``12``), OpenCC's traditional →
simplified conversion (``這裡`` → ``这里``), and dropping whitespace (Chinese has no word
boundaries; a trainee who types ``您 好`` means ``您好``). English is NFKC'd, curly
apostrophes become ``'`` and runs of whitespace one space. Every normalised character
remembers the index of the character it came from, so a rule's match is reported as
the text the person actually typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from simulator.scenario.model import Lang
from simulator.scenario.text import strip_control

# Beyond NFKC: sentence and list marks that NFKC leaves alone, and apostrophes.
_EXTRA = {"。": ".", "、": ",", "﹒": ".", "｡": ".", "’": "'", "‘": "'", "`": "'"}
_EXTRA_ZH = {"‘": "‘", "’": "’"}  # in Chinese these open and close quotations
# Quotation pairs; in English only double quotes (a single one is usually an apostrophe).
QUOTES_ZH = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’", "《": "》"}
QUOTES_EN = {"“": "”", '"': '"'}
CLAUSE_END = frozenset(",.!?;:，。！？；：\n")


@dataclass(frozen=True, slots=True)
class Normalised:
    original: str  # the text as written, control characters removed
    text: str  # what the rules match against
    origin: tuple[int, ...]  # origin[i]: index in ``original`` of text[i]
    quoted: tuple[tuple[int, int], ...]  # spans of ``text`` inside quotation marks

    def span_back(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that produced ``text[start:end]``."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def written(self, start: int, end: int) -> str:
        s, e = self.span_back(start, end)
        return self.original[s:e]

    def in_quotes(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quoted)


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc  # noqa: PLC0415 - 60 ms to build: only when Chinese is first analysed

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    convert = _converter().convert  # type: ignore[attr-defined]
    return str(convert(text))


def normalise(text: str, lang: Lang) -> Normalised:
    original = strip_control(text)
    chars: list[str] = []
    origin: list[int] = []
    extra = {**_EXTRA, **_EXTRA_ZH} if lang == "zh" else _EXTRA
    for i, ch in enumerate(original):
        folded = extra.get(ch)
        if folded is None:  # ASCII and CJK ideographs are NFKC already: skip the lookup
            folded = ch if ch < "\xa0" or "\u4e00" <= ch <= "\u9fff" else _nfkc(ch)
        for part in folded:
            if part.isspace() and (lang == "zh" or (chars and chars[-1] == " ")):
                continue
            chars.append(" " if part.isspace() else part)
            origin.append(i)
    out = "".join(chars)
    if lang == "zh":
        converted = to_simplified(out)
        if len(converted) == len(out):
            out = converted
        else:  # a phrase conversion changed the length: convert char by char to keep the map
            out = "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in out)
    else:
        while out.startswith(" "):
            out, origin = out[1:], origin[1:]
        while out.endswith(" "):
            out, origin = out[:-1], origin[:-1]
    return Normalised(original, out, tuple(origin), _quoted(out, lang))


def _quoted(text: str, lang: Lang) -> tuple[tuple[int, int], ...]:
    pairs = QUOTES_ZH if lang == "zh" else QUOTES_EN
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = pairs.get(text[i])
        if close is not None:
            end = text.find(close, i + 1)
            if end > i:
                spans.append((i + 1, end))
                i = end + 1
                continue
        i += 1
    return tuple(spans)


_PHRASE_SPACE = re.compile(r"\s+")


def normalise_phrase(phrase: str, lang: Lang) -> str:
    """A rule's phrase, normalised the way utterances are, so rules can be written
    with full-width punctuation or traditional characters and still match."""
    return normalise(_PHRASE_SPACE.sub(" ", phrase.strip()), lang).text
