"""TUI speed (`make bench`): start-up against a minimal Textual app, and reply latency.

Targets (issue: the practice TUI): start-up to an interactive library <= 1.3x a minimal
app that mounts a header, a list and a footer; key press to the next customer line
rendered <= 50 ms median. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import asyncio
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15

# Each program says when it is ready the same way: after two refreshes of its first
# screen it prints the monotonic clock (one clock for every process on the machine) and
# exits. Ready is what the target is about; the exit also waits for work the app does in
# the background after that.
READY = """
import time
def ready(app):
    print(time.clock_gettime(time.CLOCK_MONOTONIC), flush=True)
    app.exit()
"""

MINIMAL = (
    READY
    + """
from textual.app import App
from textual.widgets import Footer, Header, OptionList
class Minimal(App):
    def compose(self):
        yield Header()
        yield OptionList(*[f"item {i}" for i in range(20)])
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(lambda: self.call_after_refresh(ready, self))
Minimal().run(headless=True, size=(100, 30))
"""
)

CALLDRILL = (
    READY
    + """
from simulator.scenario.cache import cached_start
from simulator.tui.app import CalldrillApp
class Timed(CalldrillApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(lambda: self.call_after_refresh(ready, self))
index, loader = cached_start()
Timed(None, "zh", still=True, index=index, loader=loader).run(headless=True, size=(100, 30))
"""
)


def _startup(*codes: str) -> list[tuple[float, float]]:
    """Per program, the median ms from spawning it to its ready line and to its exit.
    The programs take turns, so that a machine slowing down or speeding up during the
    runs weighs on each of them alike."""
    times: list[list[tuple[float, float]]] = [[] for _ in codes]
    for _ in range(RUNS):
        for code, out in zip(codes, times, strict=True):
            start = time.clock_gettime(time.CLOCK_MONOTONIC)
            done = subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            )
            end = time.clock_gettime(time.CLOCK_MONOTONIC)
            ready = float(done.stdout.split()[0])
            out.append(((ready - start) * 1000, (end - start) * 1000))
    return [(statistics.median(r for r, _ in t), statistics.median(e for _, e in t)) for t in times]


async def _latency() -> list[float]:
    """From the key's arrival at the call screen to the first refresh that shows the reply."""
    from simulator.scenario.library import load_library  # noqa: PLC0415
    from simulator.tui.app import CalldrillApp  # noqa: PLC0415
    from simulator.tui.screens.call import CallScreen  # noqa: PLC0415

    lib = load_library()
    sid = max(lib.scenarios, key=lambda s: len(lib.scenarios[s].states))
    times: list[float] = []
    original = CallScreen.reply

    def timed_reply(self: CallScreen, number: int) -> None:
        start = time.perf_counter()
        original(self, number)
        self.call_after_refresh(lambda: times.append((time.perf_counter() - start) * 1000))

    CallScreen.reply = timed_reply  # type: ignore[method-assign]
    try:
        for seed in range(5):
            app = CalldrillApp(lib, "zh", seed=seed, still=True)
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.press(*sid, "enter", "p")
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, CallScreen)
                while not screen.call.finished:
                    await pilot.press("1")
                    await pilot.pause()
    finally:
        CallScreen.reply = original  # type: ignore[method-assign]
    return times


def _compile_bytecode() -> None:
    """Textual's modules were compiled when pip installed them; calldrill's editable
    install is compiled on first import, unless PYTHONDONTWRITEBYTECODE is set (as on
    some CI machines). Compile it first so both apps start from bytecode, as an
    installed calldrill does."""
    import simulator  # noqa: PLC0415

    compileall.compile_dir(Path(simulator.__file__).parent, quiet=1)


def main() -> None:
    _compile_bytecode()
    (minimal, minimal_exit), (ours, ours_exit) = _startup(MINIMAL, CALLDRILL)
    print(
        f"TUI start-up to interactive library: {ours:.0f} ms vs minimal Textual app "
        f"{minimal:.0f} ms = {ours / minimal:.2f}x  [target <= 1.3x]; to process exit "
        f"{ours_exit:.0f} vs {minimal_exit:.0f} ms = {ours_exit / minimal_exit:.2f}x"
    )
    times = asyncio.run(_latency())
    print(
        f"TUI key press -> next customer line rendered: median {statistics.median(times):.1f} ms,"
        f" max {max(times):.1f} ms over {len(times)} replies  [target median <= 50 ms]"
    )


if __name__ == "__main__":
    main()
