"""The debrief as a report file: Markdown, and an HTML page checked in a real headless browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent.parent / "test-output"


def _needs_chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing under CI=true: .ci/run should have installed it")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    return CHROMIUM


def _transcript(tmp_path: Path, scenario: str, replies: str, lang: str = "en") -> Path:
    result = run_cli(
        "play", scenario, "--replies", replies, "--seed", "2", "--json", "--lang", lang
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "call.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_markdown_and_json_reports(tmp_path: Path) -> None:
    path = _transcript(tmp_path, str(FIXTURES / "valid" / "doc-example.yaml"), "1,1")
    extra = ("--scenarios", str(FIXTURES / "valid"))
    md = run_cli(*extra, "debrief", str(path), "--format", "md")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Charged ten yuan too much")
    assert "Blames the customer" in md.stdout
    js = json.loads(run_cli(*extra, "debrief", str(path), "--format", "json").stdout)
    assert js["debrief_version"] == 1 and js["scenario"] == "doc-example"


@pytest.mark.parametrize(
    ("case", "content"),
    [
        (
            "zero turns",
            {
                "transcript_version": 1,
                "scenario": "angry-delivery",
                "version": 1,
                "seed": 0,
                "turns": [],
            },
        ),
        (
            "unknown scenario",
            {
                "transcript_version": 1,
                "scenario": "no-such-call",
                "version": 1,
                "seed": 0,
                "turns": [{"reply": {"id": "x"}}],
            },
        ),
        (
            "older version",
            {
                "scenario": "angry-delivery",
                "version": 1,
                "seed": 0,
                "turns": [{"reply": {"id": "x"}}],
            },
        ),
        ("not json", None),
    ],
)
def test_bad_transcripts_are_clear_errors(tmp_path: Path, case: str, content: object) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{oops" if content is None else json.dumps(content), encoding="utf-8")
    result = run_cli("debrief", str(path))
    assert result.returncode == 2, (case, result.stdout, result.stderr)
    assert result.stderr.startswith("calldrill: ") and "Traceback" not in result.stderr


def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    chromium = _needs_chromium()
    SHOTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        path = _transcript(tmp_path, str(FIXTURES / "valid" / "markup-text.yaml"), "1,1", lang)
        page = tmp_path / f"debrief-{lang}.html"
        result = run_cli(
            "--lang",
            lang,
            "--scenarios",
            str(FIXTURES / "valid"),
            "debrief",
            str(path),
            "--format",
            "html",
            "-o",
            str(page),
        )
        assert result.returncode == 0, result.stderr
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "http://" not in html.replace(
            "http://www.w3.org/2000/svg", ""
        )
        profile = tmp_path / f"profile-{lang}"
        shot = SHOTS / f"debrief-{lang}.png"
        subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1000,1600",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        assert shot.exists() and shot.stat().st_size > 10_000
        dom = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        # The payload is text on the page, not an element: no <img> was created from it.
        assert "<img" not in dom
        assert "&lt;img src=x onerror=alert(1)&gt;" in dom
        assert dom.count("<svg") == 2
        print(f"screenshot: {shot}")
