"""Exam mode exposes no hint, feedback or model answer through any screen or action:
sentinel strings put into the bank's explanations and key points and into every
scenario's per-reply feedback never appear on a screen of a whole exam, and there is
no command palette, system command, hint, undo, debrief or devtools to reach them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from simulator.assessment.bank import load_bank
from simulator.scenario.library import Library, bundled_dir, load_library
from simulator.tui.exam_app import ExamApp
from simulator.tui.screens.exam_call import ExamCallScreen
from tests.exam_fixtures import BANK_DIR, small_blueprint
from tests.exam_pilot import exam_app, opened, sit_in_tui, store_at

EXPLAIN = "SENTINELEXPLAIN"
KEYPOINT = "SENTINELKEYPOINT"
FEEDBACK = "SENTINELFEEDBACK"
SENTINELS = (EXPLAIN, KEYPOINT, FEEDBACK)
FORBIDDEN_ACTIONS = {"hint", "undo", "debrief", "command_palette", "screenshot", "rewind"}


def sentinel_bank(folder: Path) -> Path:
    folder.mkdir()
    for path in BANK_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r"explanation: \{zh: \"[^\"]*\", en: \"[^\"]*\"\}",
            f'explanation: {{zh: "{EXPLAIN}", en: "{EXPLAIN}"}}',
            text,
        )
        text = re.sub(
            r"- text: \{zh: \"[^\"]*\", en: \"[^\"]*\"\}",
            f'- text: {{zh: "{KEYPOINT}", en: "{KEYPOINT}"}}',
            text,
        )
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def sentinel_library(root: Path) -> Library:
    """The bundled library with every reply's feedback replaced by the sentinel."""
    shutil.copytree(bundled_dir(), root)
    for path in root.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out: list[str] = []
        inside: int | None = None
        for line in lines:
            indent = len(line) - len(line.lstrip())
            if inside is not None and (indent <= inside or not line.strip()):
                inside = None
            if line.strip() == "feedback:":
                inside = indent
            elif inside is not None and line.lstrip().startswith(("zh:", "en:")):
                out.append(f"{' ' * indent}{line.lstrip()[:2]}: {FEEDBACK}\n")
                continue
            out.append(line)
        path.write_text("".join(out), encoding="utf-8")
    return load_library(root)


def rendered(app: ExamApp) -> str:
    """Everything a candidate could see now: the screenshot and every widget's text."""
    parts = [app.export_screenshot()]
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Static):
                parts.append(str(widget.render()))
            elif isinstance(widget, Input):
                parts.append(widget.value + widget.placeholder)
            parts.append(str(widget.tooltip or ""))
    parts += [n.message for n in app._notifications]
    return "\n".join(parts)


# A whole exam's key presses: minutes on 2 cores shared by many workers.
@pytest.mark.timeout(600)
async def test_no_screen_of_an_exam_shows_an_answer_or_feedback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL", "devtools,debug")  # as `textual run --dev` sets it
    library = sentinel_library(tmp_path / "lib")
    bank = load_bank([sentinel_bank(tmp_path / "bank")])
    assert any(EXPLAIN in i.explanation.zh for i in bank.items.values())
    assert any(kp.text.zh == KEYPOINT for i in bank.items.values() for kp in i.key_points)
    assert any(
        c.feedback.zh == FEEDBACK
        for sc in library.scenarios.values()
        for st in sc.states.values()
        for c in st.choices
    )
    screens: set[str] = set()
    with store_at(tmp_path) as store:
        o = opened(store, small_blueprint(), bank, library)
        app = exam_app(o, library)
        assert app.devtools is None and "devtools" not in app.features
        async with app.run_test(size=(120, 40)) as pilot:

            def seen(a: ExamApp) -> None:
                screens.add(type(a.screen).__name__)
                text = rendered(a)
                for sentinel in SENTINELS:
                    assert sentinel not in text, (type(a.screen).__name__, sentinel)
                assert not list(a.get_system_commands(a.screen))
                for key, active in a.screen.active_bindings.items():
                    if active.enabled:
                        action = active.binding.action.split(".")[-1].split("(")[0]
                        assert action not in FORBIDDEN_ACTIONS, (type(a.screen).__name__, key)

            async def probe(a: ExamApp) -> None:
                # The keys of the palette, hints, undo and the debrief do nothing here.
                screen = a.screen
                turns = len(screen.call.turns) if isinstance(screen, ExamCallScreen) else None
                for key in ("ctrl+p", "h", "u", "d", "w"):
                    await pilot.press(key)
                assert not any(isinstance(s, CommandPalette) for s in a.screen_stack)
                assert a.screen is screen
                if isinstance(screen, ExamCallScreen):
                    assert len(screen.call.turns) == turns
                seen(a)

            await probe(app)
            await sit_in_tui(pilot, seen)
            await probe(app)
    assert {
        "ExamOverviewScreen",
        "ExamTheoryScreen",
        "ExamCallsScreen",
        "ExamCallScreen",
        "ExamTicketsScreen",
        "TicketFormScreen",
        "ExamSummaryScreen",
    } <= screens
