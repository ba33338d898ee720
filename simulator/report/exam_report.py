"""A candidate's exam report: one self-contained, printable HTML page.

Built from a result file (the signed data) and, for question texts and explanations,
the question bank and the scenario library. Every text from a file or a candidate is
escaped; the page loads nothing from the network.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.assessment.model import TOPICS, Bank, Item
from simulator.assessment.summary import profile
from simulator.assessment.ticket import FIELDS, criterion_name, field_name
from simulator.i18n import t
from simulator.scenario.model import Lang, Library

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}
.verdict{font-size:1.3rem;font-weight:bold}.pass{color:#2e7d32}.fail{color:#c62828}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top;text-align:left}.ok{color:#2e7d32}.bad{color:#c62828}
.note{color:#555;font-size:.9rem}.sig{border:1px solid #ccc;padding:.4rem .6rem}
pre{white-space:pre-wrap;margin:0;font-family:inherit}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _title(d: Mapping[str, Any] | None, lang: Lang, fallback: str = "") -> str:
    if isinstance(d, Mapping):
        return str(d.get(lang) or d.get("zh") or fallback)
    return fallback


def _mark(ok: bool) -> str:
    return f'<span class="{"ok" if ok else "bad"}">{"✔" if ok else "✘"}</span>'


def _minutes(seconds: object) -> str:
    s = int(seconds) if isinstance(seconds, int) else 0
    return f"{s // 60}:{s % 60:02d}"


def _option_letters(options: Sequence[str], ids: Sequence[str]) -> str:
    return ", ".join("ABCDEF"[options.index(i)] for i in ids if i in options)


def _answer_text(item: Item | None, entry: Mapping[str, Any], lang: Lang) -> tuple[str, str]:
    """The candidate's answer and the correct one, as shown (escaped)."""
    answer = entry.get("answer")
    options: list[str] = list(entry.get("options") or [])
    kind = entry.get("kind")
    if answer is None:
        given = f'<span class="bad">{_e(t(lang, "exam_no_answer"))}</span>'
    elif kind == "true-false":
        given = _e(t(lang, "exam_true" if answer is True else "exam_false"))
    elif kind == "single":
        given = _e(_option_letters(options, [str(answer)]))
    elif kind == "multiple":
        given = _e(_option_letters(options, [str(a) for a in answer]) or "—")
    else:
        given = f"<pre>{_e(answer)}</pre>"
    if item is None:
        return given, "—"
    if item.kind == "true-false":
        right = _e(t(lang, "exam_true" if item.answer else "exam_false"))
    elif item.kind in ("single", "multiple"):
        right = _e(_option_letters(options, list(item.correct_ids)))
    else:
        covered = set(entry.get("covered") or [])
        right = "<br>".join(
            f"{_mark(n in covered)} {_e(kp.text.get(lang))}" for n, kp in enumerate(item.key_points)
        )
        right += "<br>" + _e(t(lang, "exam_key_points_needed", n=item.pass_points))
    return given, right


def _question_cell(item: Item | None, entry: Mapping[str, Any], lang: Lang) -> str:
    if item is None:
        return _e(entry.get("ref"))
    out = [_e(item.question.get(lang))]
    by_id = {o.id: o for o in item.options}
    for letter, oid in zip("ABCDEF", entry.get("options") or [], strict=False):
        if oid in by_id:
            out.append(f"{letter}. {_e(by_id[oid].text.get(lang))}")
    return "<br>".join(out)


def html_page(
    result: Mapping[str, Any],
    lang: Lang,
    *,
    bank: Bank | None = None,
    library: Library | None = None,
    signature: str = "unchecked",
) -> str:
    bp = result.get("blueprint") or {}
    title = f"{t(lang, 'exam_report_title')} — {_title(bp.get('title'), lang, str(bp.get('id')))}"
    passed = bool(result.get("passed"))
    total = result.get("total") or {}
    out = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(t(lang, 'exam_candidate'))}: <b>{_e(result.get('candidate'))}</b> · "
        f"{_e(result.get('started_at'))} – {_e(result.get('finished_at'))}</p>",
        f'<p class="verdict {"pass" if passed else "fail"}">'
        f"{_e(t(lang, 'passed' if passed else 'failed'))} — {_e(t(lang, 'total'))} "
        f"{_e(total.get('earned'))}/{_e(total.get('max'))} ({_e(total.get('percent'))} %)</p>",
        f"<p>{_e(_rule_text(result, lang))}</p>",
        f'<p class="sig">{_e(_signature_text(signature, lang))}</p>',
    ]
    if bank is not None and bank.digest != result.get("bank_sha256"):
        out.append(f'<p class="note">{_e(t(lang, "exam_bank_differs"))}</p>')
        bank = None
    sections: list[Mapping[str, Any]] = list(result.get("sections") or [])
    out.append(f"<h2>{_e(t(lang, 'exam_sections'))}</h2><table><tr>")
    for key in ("exam_col_section", "exam_col_score", "exam_col_pass", "exam_col_time"):
        out.append(f"<th>{_e(t(lang, key))}</th>")
    out.append("</tr>")
    for s in sections:
        timed = f" ({_e(t(lang, 'exam_timed_out'))})" if s.get("timed_out") else ""
        out.append(
            f"<tr><td>{_e(_title(s.get('title'), lang, str(s.get('id'))))}</td>"
            f"<td>{_e(s.get('earned'))}/{_e(s.get('max'))} ({_e(s.get('percent'))} %)</td>"
            f"<td>{_mark(bool(s.get('passed')))} ≥ {_e(s.get('pass_percent'))} %</td>"
            f"<td>{_minutes(s.get('elapsed_s'))} / {_minutes(s.get('time_limit_s'))}{timed}</td>"
            "</tr>"
        )
    out.append("</table>")
    out += _profile_html(result, lang, library)
    for s in sections:
        out.append(f"<h2>{_e(_title(s.get('title'), lang, str(s.get('id'))))}</h2>")
        kind = s.get("kind")
        if kind == "theory":
            out += _theory_html(s, lang, bank)
        elif kind == "ticket":
            out += _tickets_html(s, lang, library)
        else:
            out += _calls_html(s, lang, library)
    out.append(
        f'<p class="note">{_e(t(lang, "seed"))} {_e(result.get("seed"))} · '
        f"blueprint {_e(bp.get('id'))} v{_e(bp.get('version'))} sha256 {_e(bp.get('sha256'))} · "
        f"bank sha256 {_e(result.get('bank_sha256'))} · "
        f"calldrill {_e(result.get('calldrill_version'))}</p>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _rule_text(result: Mapping[str, Any], lang: Lang) -> str:
    rule = result.get("pass_rule") or {}
    if rule.get("rule") == "weighted":
        return t(
            lang,
            "exam_rule_weighted",
            percent=rule.get("percent"),
            share=rule.get("share_percent"),
        )
    return t(lang, "exam_rule_every")


def _signature_text(status: str, lang: Lang) -> str:
    if status == "valid":
        return t(lang, "exam_sig_valid")
    if status.startswith("invalid"):
        return t(lang, "exam_sig_invalid", why=status.partition(": ")[2])
    return t(lang, "exam_sig_unchecked")


def _tag_name(tag: str, library: Library | None, lang: Lang) -> str:
    if library is not None and tag in library.tags:
        return library.tags[tag].name.get(lang)
    return tag


def _topic_name(topic: str, lang: Lang) -> str:
    return TOPICS[topic].get(lang) if topic in TOPICS else topic


def _profile_html(result: Mapping[str, Any], lang: Lang, library: Library | None) -> list[str]:
    p = profile(result)
    topics = result.get("topics") or {}

    def topic_list(ids: Sequence[str]) -> str:
        return (
            ", ".join(
                f"{_e(_topic_name(tid, lang))} ({_e(topics[tid]['percent'])} %)" for tid in ids
            )
            or "—"
        )

    def skill_list(ids: Sequence[str]) -> str:
        return ", ".join(_e(_tag_name(tag, library, lang)) for tag in ids) or "—"

    return [
        f"<h2>{_e(t(lang, 'exam_profile'))}</h2><ul>",
        f"<li>{_e(t(lang, 'exam_strong_topics'))}: {topic_list(p.strong_topics)}</li>",
        f"<li>{_e(t(lang, 'exam_weak_topics'))}: {topic_list(p.weak_topics)}</li>",
        f"<li>{_e(t(lang, 'exam_strong_skills'))}: {skill_list(p.strong_skills)}</li>",
        f"<li>{_e(t(lang, 'exam_weak_skills'))}: {skill_list(p.weak_skills)}</li>",
        "</ul>",
    ]


def _theory_html(s: Mapping[str, Any], lang: Lang, bank: Bank | None) -> list[str]:
    out = ["<table><tr><th>#</th>"]
    for key in ("exam_col_question", "exam_col_answer", "exam_col_correct"):
        out.append(f"<th>{_e(t(lang, key))}</th>")
    out.append(f"<th>{_e(t(lang, 'exam_col_points'))}</th></tr>")
    for n, entry in enumerate(s.get("items") or [], start=1):
        item = bank.items.get(str(entry.get("ref"))) if bank is not None else None
        given, right = _answer_text(item, entry, lang)
        explanation = (
            f'<br><span class="note">{_e(t(lang, "exam_explanation"))}: '
            f"{_e(item.explanation.get(lang))}</span>"
            if item is not None
            else ""
        )
        topic = _topic_name(str(entry.get("topic")), lang)
        out.append(
            f"<tr><td>{n}</td><td>{_question_cell(item, entry, lang)}"
            f'<br><span class="note">{_e(topic)} · {_e(entry.get("tier"))}</span>'
            f"{explanation}</td><td>{given}</td><td>{right}</td>"
            f"<td>{_e(entry.get('earned'))}/{_e(entry.get('max'))}</td></tr>"
        )
    out.append("</table>")
    return out


def _scenario_title(ref: str, library: Library | None, lang: Lang) -> str:
    if library is not None and ref in library.scenarios:
        return library.scenarios[ref].title.get(lang)
    return ref


def _calls_html(s: Mapping[str, Any], lang: Lang, library: Library | None) -> list[str]:
    out = ["<table><tr>"]
    for key in ("exam_col_scenario", "outcome", "exam_col_call_score", "exam_col_points"):
        out.append(f"<th>{_e(t(lang, key))}</th>")
    out.append(f"<th>{_e(t(lang, 'exam_profile'))}</th></tr>")
    for entry in s.get("items") or []:
        ref = str(entry.get("ref"))
        outcome = entry.get("outcome")
        outcome_text = t(lang, str(outcome)) if outcome else t(lang, "exam_not_finished")
        strengths = ", ".join(_tag_name(x, library, lang) for x in entry.get("strengths") or [])
        gaps = ", ".join(_tag_name(x, library, lang) for x in entry.get("gaps") or [])
        out.append(
            f"<tr><td>{_e(_scenario_title(ref, library, lang))}"
            f'<br><span class="note">{_e(ref)} · {_e(entry.get("tier"))}</span></td>'
            f"<td>{_e(outcome_text)}</td><td>{_e(entry.get('call_total', '—'))}/100</td>"
            f"<td>{_e(entry.get('earned'))}/{_e(entry.get('max'))}</td>"
            f"<td>{_e(t(lang, 'strengths'))}: {_e(strengths or '—')}<br>"
            f"{_e(t(lang, 'to_practise'))}: {_e(gaps or '—')}</td></tr>"
        )
    out.append("</table>")
    return out


def _tickets_html(s: Mapping[str, Any], lang: Lang, library: Library | None) -> list[str]:
    out: list[str] = []
    for entry in s.get("items") or []:
        ref = str(entry.get("ref"))
        out.append(
            f"<h3>{_e(_scenario_title(ref, library, lang))} — "
            f"{_e(entry.get('earned'))}/{_e(entry.get('max'))}</h3><table>"
        )
        form: Mapping[str, Any] = entry.get("answer") or {}
        for f in FIELDS:
            if form.get(f):
                out.append(
                    f"<tr><th>{_e(field_name(lang, f))}</th><td><pre>{_e(form[f])}</pre></td></tr>"
                )
        out.append("</table><ul>")
        criteria: Mapping[str, Any] = entry.get("criteria") or {}
        for c, ok in criteria.items():
            out.append(f"<li>{_mark(bool(ok))} {_e(criterion_name(lang, str(c)))}</li>")
        out.append("</ul>")
    return out
