"""The replies on offer, numbered as shown; picked by number key, arrows + Enter, or mouse."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.scenario.model import Choice, Lang
from simulator.tui.safe import plain


class ChoiceList(OptionList):
    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        max-height: 12;
    }
    """

    def show_choices(self, choices: list[Choice], lang: Lang) -> None:
        # One replacement instead of clear + add: half the layout work on every reply.
        self.set_options(
            Option(
                plain(f"{i}、{c.text.get(lang)}" if lang == "zh" else f"{i}. {c.text.get(lang)}"),
                id=c.id,
            )
            for i, c in enumerate(choices, start=1)
        )
        if choices:
            self.highlighted = 0
