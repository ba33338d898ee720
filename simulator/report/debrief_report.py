"""The debrief as Markdown or as one self-contained HTML page (inline CSS and SVG).

Every text from a scenario or a trainee is escaped for the format it goes into; the
HTML loads nothing from the network and prints on paper as it shows on screen.
"""

from __future__ import annotations

import html
from typing import Any

from simulator.i18n import t
from simulator.scenario.model import DIMENSIONS, Lang

_COLORS = ("#d32f2f", "#1976d2", "#388e3c", "#f57c00", "#7b1fa2")


def _md(text: object) -> str:
    """Markdown-safe: escape the characters that would start formatting or markup."""
    out = str(text)
    for ch in "\\`*_{}[]<>()#+!|":
        out = out.replace(ch, "\\" + ch)
    return out


def markdown(d: dict[str, Any], lang: Lang) -> str:
    s = d["score"]
    verdict = t(lang, "passed") if s["passed"] else t(lang, "failed")
    lines = [
        f"# {_md(d['title'])}",
        "",
        f"**{t(lang, 'total')} {s['total']:g}/100** — {verdict} "
        f"({t(lang, 'pass_mark', n=s['pass_mark'])})",
        "",
    ]
    if d["outcome"]:
        lines.append(f"{t(lang, 'outcome')}: {t(lang, d['outcome'])} — {_md(d['ending_summary'])}")
    else:
        lines.append(t(lang, "unfinished"))
    lines.append("")
    lines += [f"| {t(lang, 'col_dimension')} | /25 |", "|---|---|"]
    lines += [f"| {t(lang, dim)} | {s['dimensions'][dim]:g} |" for dim in DIMENSIONS]
    lines += ["", f"{t(lang, 'service_level')}: {_md(d['service_level']['reason'])}", ""]
    lines += [f"## {t(lang, 'loop_tab')}", ""]
    for loop in d["loops"]:
        mark = "✔" if loop["complete"] and loop["in_order"] else "✘"
        lines.append(f"- {mark} **{_md(loop['summary'])}**")
        lines += [f"  - {_md(f)}" for f in loop["findings"]]
        for m in loop["model_loop"]:
            lines.append(f"  - *{t(lang, 'step_' + m['step'])}*: {_md(m['text'])}")
    yes = d["three_yes"]
    if yes:
        lines += ["", f"## {t(lang, 'three_yes')}", ""]
        lines += [f"- {r['rung']}. {r['tag']}: {r['turn'] or '—'}" for r in yes["rungs"]]
        lines += [f"- {_md(f)}" for f in yes["findings"] + yes["ethics"]]
    lines += ["", f"## {t(lang, 'phases')}", ""]
    lines += [
        f"- {t(lang, 'phase_' + p['phase'])}: {p['label']}"
        + (f" ({t(lang, 'turn')} {p['turn']})" if p["turn"] else "")
        for p in d["phases"]
    ]
    lines += ["", f"## {t(lang, 'language')}", ""]
    if not d["language"]:
        lines.append(t(lang, "language_clean"))
    for item in d["language"]:
        better = f" — {t(lang, 'say_instead')}: {_md(item['better'])}" if item["better"] else ""
        lines.append(
            f"- {t(lang, 'turn')} {item['turn']}, {_md(item['name'])}: "
            f"“{_md(item['said'])}”{better}"
        )
    lines += [
        "",
        f"## {t(lang, 'review_tab')}",
        "",
        f"| {t(lang, 'turn')} | {t(lang, 'your_reply')} | {t(lang, 'turn_points')} | "
        f"{t(lang, 'best_reply')} | {t(lang, 'feedback')} |",
        "|---|---|---|---|---|",
    ]
    for r in d["review"]:
        best = t(lang, "is_best") if r["is_best"] else _md(r["best"])
        lines.append(
            f"| {r['turn']} | {_md(r['reply'])} | {r['total']:+d} | {best} | {_md(r['feedback'])} |"
        )
    p = d["practice"]
    lines += ["", f"## {t(lang, 'to_practise')}", ""]
    lines.append(f"- {t(lang, 'strengths')}: " + ", ".join(_md(x["name"]) for x in p["strengths"]))
    lines.append(f"- {t(lang, 'to_practise')}: " + ", ".join(_md(x["name"]) for x in p["practise"]))
    if p["next_scenario"]:
        lines.append(f"- {t(lang, 'next_scenario')}: {_md(p['next_scenario']['title'])}")
    return "\n".join(lines) + "\n"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _mood_svg(mood: dict[str, Any], lang: Lang) -> str:
    width, height, pad = 640, 220, 30
    series = mood["series"]
    n = max((len(v) for v in series.values()), default=1)
    step = (width - 2 * pad) / max(n - 1, 1)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(t(lang, "chart_mood"))}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{pad}" y="10" width="{width - 2 * pad}" height="{height - 40}" '
        'fill="none" stroke="#999"/>',
    ]
    for i, (var, values) in enumerate(series.items()):
        info = mood["variables"][var]
        lo, hi = info["min"], info["max"]
        pts = " ".join(
            f"{pad + k * step:.1f},{10 + (height - 40) * (1 - (v - lo) / max(hi - lo, 1)):.1f}"
            for k, v in enumerate(values)
        )
        color = _COLORS[i % len(_COLORS)]
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>')
        parts.append(
            f'<text x="{pad + 8 + 110 * i}" y="{height - 8}" fill="{color}" '
            f'font-size="13">{_e(info["label"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _dims_svg(score: dict[str, Any], lang: Lang) -> str:
    width, row = 640, 30
    parts = [
        f'<svg viewBox="0 0 {width} {row * 4 + 10}" xmlns="http://www.w3.org/2000/svg" '
        f'role="img" aria-label="{_e(t(lang, "chart_dimensions"))}">'
    ]
    for i, dim in enumerate(DIMENSIONS):
        value = score["dimensions"][dim]
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + 18}" font-size="13">{_e(t(lang, dim))}</text>')
        parts.append(f'<rect x="200" y="{y + 4}" width="400" height="18" fill="#eee"/>')
        parts.append(
            f'<rect x="200" y="{y + 4}" width="{400 * value / 25:.1f}" height="18" fill="#1976d2"/>'
        )
        parts.append(f'<text x="606" y="{y + 18}" font-size="13">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}
.verdict{font-size:1.3rem;font-weight:bold}.pass{color:#2e7d32}.fail{color:#c62828}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top;text-align:left}.ok{color:#2e7d32}.bad{color:#c62828}
.model{color:#555;font-style:italic}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def html_page(d: dict[str, Any], lang: Lang) -> str:
    s = d["score"]
    verdict = t(lang, "passed") if s["passed"] else t(lang, "failed")
    out = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{_e(d['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(d['title'])}</h1>",
        f'<p class="verdict {"pass" if s["passed"] else "fail"}">{_e(t(lang, "total"))} '
        f"{s['total']:g}/100 — {_e(verdict)} ({_e(t(lang, 'pass_mark', n=s['pass_mark']))})</p>",
    ]
    if d["outcome"]:
        out.append(
            f"<p>{_e(t(lang, 'outcome'))}: {_e(t(lang, d['outcome']))} — "
            f"{_e(d['ending_summary'])}</p>"
        )
    out.append(_dims_svg(s, lang))
    out.append(f"<p>{_e(t(lang, 'service_level'))}: {_e(d['service_level']['reason'])}</p>")
    out.append(f"<h2>{_e(t(lang, 'loop_tab'))}</h2><ul>")
    for loop in d["loops"]:
        good = loop["complete"] and loop["in_order"]
        out.append(
            f'<li><b class="{"ok" if good else "bad"}">{"✔" if good else "✘"} '
            f"{_e(loop['summary'])}</b><ul>"
        )
        out += [f"<li>{_e(f)}</li>" for f in loop["findings"]]
        out += [
            f'<li class="model">{_e(t(lang, "step_" + m["step"]))}: {_e(m["text"])}</li>'
            for m in loop["model_loop"]
        ]
        out.append("</ul></li>")
    out.append("</ul>")
    yes = d["three_yes"]
    if yes:
        out.append(f"<h2>{_e(t(lang, 'three_yes'))}</h2><ul>")
        out += [f"<li>{r['rung']}. {_e(r['tag'])}: {r['turn'] or '—'}</li>" for r in yes["rungs"]]
        out += [f"<li>{_e(f)}</li>" for f in yes["findings"] + yes["ethics"]]
        out.append("</ul>")
    out.append(f"<h2>{_e(t(lang, 'phases'))}</h2><ul>")
    for p in d["phases"]:
        turn = f" ({_e(t(lang, 'turn'))} {p['turn']})" if p["turn"] else ""
        cls = "ok" if p["status"] == "done" else "bad"
        out.append(
            f"<li>{_e(t(lang, 'phase_' + p['phase']))}: "
            f'<span class="{cls}">{_e(p["label"])}</span>{turn}</li>'
        )
    out.append(f"</ul><h2>{_e(t(lang, 'language'))}</h2><ul>")
    if not d["language"]:
        out.append(f"<li>{_e(t(lang, 'language_clean'))}</li>")
    for item in d["language"]:
        better = f"<br>{_e(t(lang, 'say_instead'))}: {_e(item['better'])}" if item["better"] else ""
        out.append(
            f"<li>{_e(t(lang, 'turn'))} {item['turn']}, <b>{_e(item['name'])}</b>: "
            f"“{_e(item['said'])}”{better}</li>"
        )
    out.append(f"</ul><h2>{_e(t(lang, 'mood_tab'))}</h2>{_mood_svg(d['mood'], lang)}")
    out.append(
        f"<h2>{_e(t(lang, 'review_tab'))}</h2><table><tr>"
        + "".join(
            f"<th>{_e(t(lang, k))}</th>"
            for k in ("turn", "your_reply", "turn_points", "best_reply", "feedback")
        )
        + "</tr>"
    )
    for r in d["review"]:
        best = t(lang, "is_best") if r["is_best"] else r["best"]
        out.append(
            f"<tr><td>{r['turn']}</td><td>{_e(r['reply'])}</td><td>{r['total']:+d}</td>"
            f"<td>{_e(best)}</td><td>{_e(r['feedback'])}</td></tr>"
        )
    p = d["practice"]
    out.append(f"</table><h2>{_e(t(lang, 'to_practise'))}</h2><ul>")
    out.append(
        f"<li>{_e(t(lang, 'strengths'))}: "
        + _e(", ".join(x["name"] for x in p["strengths"]))
        + "</li>"
    )
    out.append(
        f"<li>{_e(t(lang, 'to_practise'))}: "
        + _e(", ".join(x["name"] for x in p["practise"]))
        + "</li>"
    )
    if p["next_scenario"]:
        out.append(f"<li>{_e(t(lang, 'next_scenario'))}: {_e(p['next_scenario']['title'])}</li>")
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"
