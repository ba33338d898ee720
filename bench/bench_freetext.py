"""Speed of free text (`make bench`). Reports numbers; asserts nothing.

Targets (issue 9): a typed reply analysed and matched in <= 10 ms median; a
100-utterance transcript scored in <= 200 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from simulator.scenario.library import bundled_dir, load_library, load_support
from simulator.scenario.model import Lang
from simulator.scoring.matcher import match_reply
from simulator.scoring.phrase_rules import bundled_phrase_book
from simulator.scoring.transcript_input import read_transcript
from simulator.scoring.transcript_review import review_transcript

TYPED: dict[Lang, list[str]] = {
    "zh": [
        "嗯，我明白，您等了三次都没送到，换成谁都会生气，真的很抱歉。",
        "我跟您确认一下：您是想把收款卡换成农业银行那张，对吗？",
        "这个我也不清楚，您去找物流公司吧。",
        "请您稍等两分钟，我联系配送站核实一下包裹的位置。",
    ],
    "en": [
        "I see, you waited three times for nothing. I'd be angry too, I'm so sorry.",
        "Let me make sure I understood: you'd like the refund on the new card, is that right?",
        "No idea, you'll have to call the courier yourself.",
        "Please bear with me while I check with the depot, it'll take about two minutes.",
    ],
}

LINES: dict[Lang, list[tuple[str, str]]] = {
    "zh": [
        ("客户", "你们到底怎么回事！说好的三次都没送到，太过分了！"),
        ("客服", "嗯，我在听。三次落空，换做是我也会很生气，真的非常抱歉。"),
        ("客户", "我请了假在家等的，你们就这么对客户？"),
        ("客服", "我确认一下：您上周五的订单，三次约好的送货都没到，对吗？"),
        ("客户", "对，我要投诉！"),
        ("客服", "我马上为您申请加急，明天上午12点前送到，工单号JJ0317，您看可以吗？"),
    ],
    "en": [
        ("Customer", "My card was declined again, this is ridiculous!"),
        ("Agent", "I see. That must have been embarrassing, and I'm so sorry."),
        ("Customer", "Third time this month. I want it fixed now."),
        ("Agent", "Let me make sure I understood: it was declined three times, is that right?"),
        ("Customer", "Yes. Or I'll make a complaint."),
        ("Agent", "I'll lift the pause now and text you within ten minutes. Does that work?"),
    ],
}


def _times_ms(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _bench_lang(lang: Lang) -> None:
    lib = load_library(bundled_dir())
    tags, rubric, _ = load_support(bundled_dir())
    states = [st for sc in lib.scenarios.values() for st in sc.states.values()]
    start = time.perf_counter()
    book = bundled_phrase_book(lang)
    match_reply(TYPED[lang][0], states[0].choices, lang, lib.tags, book=book)
    first = (time.perf_counter() - start) * 1000
    times: list[float] = []
    for i, state in enumerate(states):
        typed = TYPED[lang][i % len(TYPED[lang])]
        start = time.perf_counter()
        match_reply(typed, state.choices, lang, lib.tags, book=book)
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[18]
    print(
        f"free text ({lang}): typed reply analysed + matched, {len(times)} states: "
        f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms "
        f"[target median <= 10 ms]; first call incl. loading the rules {first:.0f} ms"
    )
    pairs = (LINES[lang] * 17)[:100]
    colon = "：" if lang == "zh" else ": "
    data = "\n".join(f"{w}{colon}{t}" for w, t in pairs).encode()
    path = Path(f"bench-{lang}.txt")

    def score() -> object:
        utterances = read_transcript(path, data, book)
        return review_transcript(utterances, lang, tags, rubric, book)

    runs = _times_ms(score, 30)
    print(
        f"transcript ({lang}): 100 utterances read + scored: median "
        f"{statistics.median(runs):.1f} ms, max {max(runs):.1f} ms [target <= 200 ms]"
    )


def main() -> None:
    for lang in ("zh", "en"):
        _bench_lang(lang)


if __name__ == "__main__":
    main()
