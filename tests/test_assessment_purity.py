"""The assessment core is a pure layer: no UI, and no store either."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CODE = """
import sys
import simulator.assessment.bank, simulator.assessment.blueprint, simulator.assessment.draw
import simulator.assessment.exam, simulator.assessment.scoring, simulator.assessment.signing
import simulator.assessment.ticket, simulator.assessment.summary
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "sqlalchemy")
             or m.startswith("simulator.store") or m.startswith("simulator.tui"))
print(",".join(bad))
"""


def test_assessment_imports_no_ui_and_no_store() -> None:
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
