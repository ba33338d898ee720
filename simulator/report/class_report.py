"""The class drill report as Markdown, one self-contained HTML page (inline CSS and
SVG charts, nothing loaded from the network) or CSV (one row per round).

Names, notes and scenario titles are untrusted: escaped for the format they go into,
and CSV cells can never start a formula.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from simulator.i18n import t
from simulator.report.class_summary import ClassSummary
from simulator.report.exports import cell
from simulator.scenario.model import DIMENSIONS, Lang, Text
from simulator.scenario.text import strip_control

if TYPE_CHECKING:
    from simulator.store.drills import RoundRecord

CSV_COLUMNS = (
    "drill",
    "class",
    "group",
    "round",
    "scenario",
    "agent",
    "customer",
    "observer",
    "outcome",
    "engine_total",
    *(f"engine_{d}" for d in DIMENSIONS),
    *(f"sheet_{d}" for d in DIMENSIONS),
    "sheet_total_0_100",
    "focus_emotion",
    "focus_solution",
    "focus_phrasing",
    "note",
    "prepare_s",
    "roleplay_s",
    "feedback_s",
    "over_s",
)


def _md(text: object) -> str:
    out = strip_control(str(text)).replace("\n", " ")
    for ch in "\\`*_{}[]<>()#+!|":
        out = out.replace(ch, "\\" + ch)
    return out


def _e(text: object) -> str:
    return html.escape(strip_control(str(text)), quote=True)


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class _Names:
    def __init__(self, lang: Lang, titles: Mapping[str, Text], tags: Mapping[str, Text]) -> None:
        self.lang, self.titles, self.tags = lang, titles, tags

    def scenario(self, sid: str) -> str:
        title = self.titles.get(sid)
        return f"{title.get(self.lang)} ({sid})" if title else sid

    def tag(self, tag: str) -> str:
        name = self.tags.get(tag)
        return name.get(self.lang) if name else tag

    def weakest(self, items: Sequence[tuple[str, int, int]]) -> str:
        sep = "、" if self.lang == "zh" else ", "
        return sep.join(f"{self.tag(tag)} {hits}/{chances}" for tag, hits, chances in items)


def _tables(
    s: ClassSummary, names: _Names
) -> list[tuple[str, list[str], list[list[str]], str | None]]:
    lang = names.lang
    tr: Callable[[str], str] = lambda key: t(lang, key)  # noqa: E731
    trainees = [
        [
            r.name,
            str(r.as_agent),
            str(r.as_customer),
            str(r.as_observer),
            _n(r.engine_mean),
            _n(r.observed_mean),
            names.weakest(r.weakest),
        ]
        for r in s.trainees
    ]
    groups = [
        [g.name, str(g.rounds), _n(g.engine_mean), _n(g.observed_mean), str(g.over_runs)]
        for g in s.groups
    ]
    scenarios = [
        [
            names.scenario(x.scenario_id),
            str(x.rounds),
            _n(x.engine_mean),
            _n(x.observed_mean),
            *(_n(round(sum(v) / len(v), 1) if v else None) for v in x.dims.values()),
        ]
        for x in s.scenarios
    ]
    calibration = [
        [
            c.observer,
            str(c.sheets),
            _n(c.mad),
            f"{c.bias:+g}" if c.bias is not None else "—",
            tr(f"class_{c.verdict}") if c.verdict else "—",
        ]
        for c in s.calibration
    ]
    return [
        (
            tr("class_per_trainee"),
            [
                tr("class_col_trainee"),
                tr("class_col_as_agent"),
                tr("class_col_as_customer"),
                tr("class_col_as_observer"),
                tr("class_col_engine"),
                tr("class_col_observed"),
                tr("class_col_weakest"),
            ],
            trainees,
            None,
        ),
        (
            tr("class_per_group"),
            [
                tr("class_col_group"),
                tr("class_col_rounds"),
                tr("class_col_engine"),
                tr("class_col_observed"),
                tr("class_col_over_runs"),
            ],
            groups,
            None,
        ),
        (
            tr("class_per_scenario"),
            [
                tr("class_col_scenario"),
                tr("class_col_rounds"),
                tr("class_col_engine"),
                tr("class_col_observed"),
                *(tr(d) for d in DIMENSIONS),
            ],
            scenarios,
            None,
        ),
        (
            tr("class_calibration"),
            [
                tr("drill_role_observer"),
                tr("class_col_sheets"),
                tr("class_col_mad"),
                tr("class_col_bias"),
                "",
            ],
            calibration,
            tr("class_calibration_note"),
        ),
    ]


def _heading(s: ClassSummary, lang: Lang) -> list[str]:
    lines = [t(lang, "class_report_title")]
    if s.class_name:
        lines.append(t(lang, "class_report_class", name=s.class_name))
    lines.append(t(lang, "class_report_counts", drills=s.drills, rounds=s.rounds))
    return lines


def markdown(
    s: ClassSummary, lang: Lang, titles: Mapping[str, Text], tags: Mapping[str, Text]
) -> str:
    names = _Names(lang, titles, tags)
    title, *sub = _heading(s, lang)
    out = [f"# {_md(title)}", "", *(f"{_md(x)}  " for x in sub), ""]
    if not s.rounds:
        return "\n".join([*out, _md(t(lang, "class_report_none")), ""])
    for heading, head, rows, note in _tables(s, names):
        out += [f"## {_md(heading)}", ""]
        if note:
            out += [_md(note), ""]
        out.append("| " + " | ".join(_md(h) for h in head) + " |")
        out.append("|" + "---|" * len(head))
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top;text-align:left}.note{color:#555}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _bars_svg(
    label: str, rows: Sequence[tuple[str, float | None, float | None]], top: float
) -> str:
    """Paired horizontal bars: engine (blue) and observers (orange) per row."""
    row_h, width, left = 34, 720, 230
    scale = (width - left - 60) / top
    parts = [
        f'<svg viewBox="0 0 {width} {row_h * len(rows) + 10}" role="img" '
        f'aria-label="{_e(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, engine, observed) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(f'<text x="0" y="{y + 20}" font-size="13">{_e(name[:30])}</text>')
        for j, (value, color) in enumerate(((engine, "#1976d2"), (observed, "#f57c00"))):
            if value is None:
                continue
            w = max(0.0, value) * scale
            parts.append(
                f'<rect x="{left}" y="{y + 3 + j * 13}" width="{w:.1f}" height="12" '
                f'fill="{color}"/>'
            )
            parts.append(
                f'<text x="{left + w + 4:.1f}" y="{y + 13 + j * 13}" font-size="11">'
                f"{value:g}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _calibration_svg(label: str, rows: Sequence[tuple[str, float]]) -> str:
    """Each observer's bias around zero: right of the line too kind, left too harsh."""
    row_h, width, mid = 24, 720, 470
    scale = 10.0  # px per point of the 0–25 scale
    parts = [
        f'<svg viewBox="0 0 {width} {row_h * len(rows) + 10}" role="img" '
        f'aria-label="{_e(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{row_h * len(rows) + 10}" stroke="#999"/>',
    ]
    for i, (name, bias) in enumerate(rows):
        y = 5 + i * row_h
        w = min(abs(bias) * scale, mid - 240)
        x = mid if bias >= 0 else mid - w
        color = "#c62828" if abs(bias) > 3.125 else "#388e3c"
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{_e(name[:30])}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="14" fill="{color}"/>')
        parts.append(f'<text x="{width - 40}" y="{y + 15}" font-size="11">{bias:+.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(
    s: ClassSummary, lang: Lang, titles: Mapping[str, Text], tags: Mapping[str, Text]
) -> str:
    names = _Names(lang, titles, tags)
    title, *sub = _heading(s, lang)
    out = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        *(f"<p>{_e(x)}</p>" for x in sub),
    ]
    if not s.rounds:
        out.append(f"<p>{_e(t(lang, 'class_report_none'))}</p></body></html>")
        return "".join(out)
    legend = (
        f'<p class="note"><span style="color:#1976d2">■</span> {_e(t(lang, "class_col_engine"))}'
        f' &nbsp; <span style="color:#f57c00">■</span> {_e(t(lang, "class_col_observed"))}'
        " (0–100)</p>"
    )
    charts = {
        0: _bars_svg(
            t(lang, "class_per_trainee"),
            [(r.name, r.engine_mean, r.observed_mean) for r in s.trainees],
            100,
        ),
        1: _bars_svg(
            t(lang, "class_per_group"),
            [(g.name, g.engine_mean, g.observed_mean) for g in s.groups],
            100,
        ),
        2: _bars_svg(
            t(lang, "class_per_scenario"),
            [(x.scenario_id, x.engine_mean, x.observed_mean) for x in s.scenarios],
            100,
        ),
        3: _calibration_svg(
            t(lang, "class_calibration"),
            [(c.observer, c.bias) for c in s.calibration if c.bias is not None],
        ),
    }
    for i, (heading, head, rows, note) in enumerate(_tables(s, names)):
        out.append(f"<h2>{_e(heading)}</h2>")
        if note:
            out.append(f'<p class="note">{_e(note)}</p>')
        out.append(legend if i < 3 else "")
        out.append(charts[i])
        out.append("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>")
        out += ["<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows]
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


def csv_rounds(rounds: Sequence[RoundRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rounds:
        sheet = r.sheet
        used = {x.phase: round(x.used_ms / 1000, 1) for x in r.timings}
        w.writerow(
            [
                cell(v)
                for v in (
                    r.drill_uid,
                    r.class_name or "",
                    r.group,
                    r.number,
                    r.scenario_id,
                    r.agent,
                    r.customer,
                    r.observer,
                    r.outcome or "",
                    "" if r.engine_total is None else r.engine_total,
                    *("" if r.engine is None else r.engine[d] for d in DIMENSIONS),
                    *("" if sheet is None else sheet.scores[d] for d in DIMENSIONS),
                    "" if sheet is None else sum(sheet.on_engine_scale.values()),
                    *(
                        "" if sheet is None else sheet.focus.get(p, "")
                        for p in ("emotion", "solution", "phrasing")
                    ),
                    "" if sheet is None else sheet.note,
                    used.get("prepare", ""),
                    used.get("roleplay", ""),
                    used.get("feedback", ""),
                    round(r.over_ms / 1000, 1),
                )
            ]
        )
    return buf.getvalue()
