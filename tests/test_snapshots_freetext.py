"""SVG snapshots of the call screen in free-text mode (zh, en): a typed reply with a
taboo word, understood and re-tagged, with the practice feedback that explains it.

Regenerate after an intended change:
`.venv/bin/pytest tests/test_snapshots_freetext.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from tests.test_snapshots import SIZE, TO_BRIEFING, Snap, app_for

TYPED = {
    "zh": "您好，这里是客服中心，我是小陈。请问是哪一笔费用？不过这不归我管。",
    "en": "Hello, customer service, Chen here. Which charge is it? Not my problem though.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_call_screen_in_free_text_mode(snap_compare: Snap, lang: str) -> None:
    app = app_for(lang)

    async def type_reply(pilot: Any) -> None:
        await pilot.press(*TO_BRIEFING, "t", "p")
        await pilot.pause()
        field = app.screen.query_one("#call-typed", Input)
        field.value = TYPED[lang]
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=type_reply)
