"""The pure layers (scenario, engine, scoring) never import Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CODE = """
import sys
import simulator.scenario.library, simulator.scenario.loader, simulator.scenario.tagdoc
import simulator.engine, simulator.engine.transcript
import simulator.scoring
from simulator.scenario.library import load_library
from simulator.engine import CallPlot
lib = load_library()
for sc in lib.scenarios.values():
    call = CallPlot(sc, lib.tags, lib.rubric).new_call(1)
    while not call.finished:
        call.reply_number(1)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(bad))
"""


def test_pure_layers_do_not_import_ui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_cli_play_does_not_import_ui() -> None:
    code = (
        "import sys, simulator.cli; "
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
