"""Rich `Text` for widgets that take Rich renderables (DataTable cells, Select options).

A plain `str` in those places is parsed as markup; a `Text` never is.
"""

from __future__ import annotations

from rich.text import Text

from simulator.scenario.text import strip_control


def cell(text: str, style: str = "") -> Text:
    return Text(strip_control(text), style=style)
