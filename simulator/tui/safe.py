"""Untrusted text (scenario content, names, typed input) shown as plain text.

Textual parses markup in plain strings given to most widgets, so `[@click=app.quit]`
in a scenario line would become an action and a stray `[/]` would raise. Everything
shown from a scenario goes through ``plain``: a ``Content`` built from the string,
which Textual never parses, after removing control and bidi-override characters so
no escape sequence reaches the terminal.
"""

from __future__ import annotations

from textual.content import Content

from simulator.scenario.text import strip_control


def plain(text: str) -> Content:
    return Content(strip_control(text))


def styled(text: str, style: str) -> Content:
    """Plain text in one style; the style is ours, the text never markup."""
    return Content.styled(strip_control(text), style)


def join(*parts: Content | str) -> Content:
    return Content.assemble(*(p if isinstance(p, Content) else plain(p) for p in parts))
