"""The score at a glance: total, pass/fail, outcome, the four dimensions, and any cap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from simulator.i18n import t
from simulator.scenario.model import DIMENSIONS, Ending, Lang
from simulator.scoring import DIMENSION_MAX, Score
from simulator.tui.safe import join, plain, styled


class ScoreCard(Vertical):
    DEFAULT_CSS = """
    ScoreCard {
        height: auto;
        padding: 0 1;
    }
    ScoreCard #score-total {
        text-style: bold;
        margin-bottom: 1;
    }
    ScoreCard .dim-label {
        margin-top: 1;
    }
    ScoreCard ProgressBar Bar {
        width: 1fr;
    }
    """

    def __init__(
        self,
        score: Score,
        ending: Ending | None,
        lang: Lang,
        tag_names: dict[str, str],
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.score, self.ending, self.lang = score, ending, lang
        self.tag_names = tag_names

    def compose(self) -> ComposeResult:
        lang, score = self.lang, self.score
        verdict = t(lang, "passed") if score.passed else t(lang, "failed")
        yield Static(
            join(
                styled(f"{t(lang, 'total')} {score.total:g}/100  ", "bold"),
                styled(verdict, "bold green" if score.passed else "bold red"),
                plain(f"  ({t(lang, 'pass_mark', n=score.pass_mark)})"),
            ),
            id="score-total",
        )
        if self.ending is not None:
            yield Static(
                plain(
                    f"{t(lang, 'outcome')}: {t(lang, self.ending.outcome)} — "
                    f"{self.ending.summary.get(lang)}"
                ),
                id="score-outcome",
            )
        else:
            yield Static(plain(t(lang, "unfinished")), id="score-outcome")
        for cap in score.caps:
            kind, _, what = cap.partition(":")
            if kind == "outcome":
                text = t(lang, "cap_outcome", what=t(lang, what))
            else:
                text = t(lang, "cap_blocker", what=self.tag_names.get(what, what))
            yield Static(styled(text, "bold $warning"), classes="score-cap")
        for dim in DIMENSIONS:
            value = score.dimensions[dim]
            yield Static(plain(f"{t(lang, dim)} {value:g}/{DIMENSION_MAX}"), classes="dim-label")
            bar = ProgressBar(
                total=DIMENSION_MAX, show_eta=False, show_percentage=False, id=f"score-bar-{dim}"
            )
            bar.progress = value
            yield bar
