"""The debrief's free-text parts: what was typed, what it was understood as, the rules
that fired and the better phrasing (plain strings: the review table's ``cell`` and
the summary's ``plain`` render them, never as markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.tui.app import CalldrillApp


def misunderstood_summary(app: CalldrillApp, d: dict[str, Any]) -> str:
    """One line for the summary when the customer did not understand a typed reply."""
    n = int(d.get("misunderstood") or 0)
    return f"\n{app.tr('misunderstood_count', n=n)}" if n else ""


def review_cells(app: CalldrillApp, row: dict[str, Any]) -> tuple[str, str, str]:
    """The reply, better-reply and feedback cells of one review row."""
    best = app.tr("is_best") if row["is_best"] else row["best"]
    typed = row.get("typed")
    misses = row.get("misunderstood") or []
    before = ""
    if misses:
        said = " / ".join(f"“{m}”" if m else "…" for m in misses)
        before = f"{app.tr('misunderstood_before')}{said}\n"
    if not typed:
        return before + row["reply"], best, row["feedback"]
    reply = (
        f"{before}{app.tr('you_typed')}: “{typed['typed']}”\n"
        f"→ {app.tr('understood_as')}: {typed['understood_as']['text']} "
        f"({app.tr('similarity')} {typed['similarity']:.0f})"
    )
    feedback = row["feedback"]
    if typed["rules"]:
        sep = "；" if app.lang == "zh" else "; "
        fired = sep.join(
            f"{app.tr('rule_' + r['change'])} {r['name']}"
            + (f" “{r['matched']}”" if r["matched"] else "")
            for r in typed["rules"]
        )
        feedback = f"{app.tr('rules_fired')}: {fired}\n{feedback}"
    return reply, f"{app.tr('better_phrasing')}: {typed['better']['text']}", feedback
