"""`make eval`: precision and recall per tag, and the rank order of the transcripts."""

from __future__ import annotations

import sys

from tests.eval.metrics import evaluate, holdout, library_agreement, matching


def main() -> int:
    ev = evaluate()
    for lang, tally in ev.tallies.items():
        print(
            f"== {lang}: {ev.sizes[lang]} labelled utterances · precision "
            f"{tally.precision():.3f} · recall {tally.recall():.3f}"
        )
        print(f"   {'tag':<24} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}")
        for tag in tally.tags():
            print(
                f"   {tag:<24} {tally.tp[tag]:>4} {tally.fp[tag]:>4} {tally.fn[tag]:>4} "
                f"{tally.precision(tag):>10.2f} {tally.recall(tag):>7.2f}"
            )
        for miss in tally.misses:
            print(f"   ! {miss}")
    print(f"== transcripts, best first ({len(ev.calls)})")
    for r in ev.calls:
        flags = ""
        if r.missing:
            flags += f"  missing findings: {', '.join(r.missing)}"
        if r.unwanted:
            flags += f"  unwanted findings: {', '.join(r.unwanted)}"
        print(f"   {r.total:>5g}  {r.service_level:<9} {r.call.id}{flags}")
    cases = matching()
    for lang in ("zh", "en"):
        mine = [c for c in cases if c.lang == lang]
        right = [c for c in mine if c.got == c.expect]
        hits = [c.similarity for c in right if c.expect is not None]
        misses = [c.similarity for c in mine if c.expect is None]
        print(
            f"== {lang}, typed replies: {len(right)}/{len(mine)} understood as intended; lowest "
            f"correct similarity {min(hits, default=0):g}, highest for an unrelated reply "
            f"{max(misses, default=0):g}"
        )
        for c in mine:
            if c.got != c.expect:
                print(f"   ! {c.where}: expected {c.expect}, got {c.got} ({c.similarity:g})")
    for lang, tally in holdout().items():
        print(
            f"== {lang}, held out (written after the rules were frozen, never tuned on): "
            f"precision {tally.precision():.3f} · recall {tally.recall():.3f}"
        )
    for lang, tally in library_agreement().items():
        print(
            f"== {lang}, for reference: agreement with the authors' tags on every bundled reply "
            f"(not a target): precision {tally.precision():.3f} · recall {tally.recall():.3f}"
        )
    violations = ev.rank_violations()
    print(f"== rank order within each situation: {'ok' if not violations else 'BROKEN'}")
    for v in violations:
        print(f"   ! {v}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
