"""The calldrill Textual app: it holds the library and the language, screens do the rest."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.i18n import t
from simulator.scenario.model import Lang, LibraryIndex, Scenario
from simulator.tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from simulator.engine import Call
    from simulator.scenario.model import Library


class CalldrillApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "calldrill"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding(
            "f2",
            "toggle_language",
            "中/EN",
            id="app.toggle-language",
            tooltip="切换语言 / switch language",
        ),
        Binding("f1", "toggle_help", "Help", id="app.help", tooltip="Keys of this screen"),
        Binding("question_mark", "toggle_help", "Help", id="app.help-question", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        library: Library | None,
        lang: Lang = "zh",
        *,
        seed: int | None = None,
        reveal_cps: float = 60.0,
        extra_dirs: tuple[Path, ...] = (),
        still: bool = False,
        index: LibraryIndex | None = None,
        loader: Callable[[], Library] | None = None,
    ) -> None:
        """Give a ``library``, or an ``index`` to list at once and a ``loader`` for the rest."""
        super().__init__()
        # Still: no moving parts (timer frozen at 00:00, no cursor blink, lines shown at
        # once), so that screenshots in tests are the same on every run.
        self.still = still
        if still:
            reveal_cps = 0.0
        if library is None and (index is None or loader is None):
            raise ValueError("give a library, or an index and a loader")
        self._library = library
        self._loader = loader
        self._library_lock = threading.Lock()
        self.index = index if index is not None else LibraryIndex.of(library)  # type: ignore[arg-type]
        self.lang: Lang = lang
        self.fixed_seed = seed
        # Characters per second for the customer's lines; 0 shows them at once (tests).
        self.reveal_cps = reveal_cps
        self.extra_dirs = extra_dirs

    def get_default_screen(self) -> LibraryScreen:
        return LibraryScreen()

    @property
    def library(self) -> Library:
        """The whole library; loaded on first use if the app started from the index."""
        with self._library_lock:
            if self._library is None:
                assert self._loader is not None
                self._library = self._loader()
            return self._library

    def on_mount(self) -> None:
        self.title = t(self.lang, "app_title")
        if self._library is None:
            # Load the scenarios while the trainee looks at the list.
            self.call_after_refresh(lambda: self.run_worker(lambda: self.library, thread=True))

    def tr(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    # Navigation lives here so that screens need not import one another. The screens
    # after the library are imported on first use: start-up only pays for the library.

    def open_briefing(self, scenario: Scenario, *, replace: bool = False) -> None:
        from simulator.tui.screens.briefing import BriefingScreen  # noqa: PLC0415

        screen = BriefingScreen(scenario)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def start_call(
        self, scenario: Scenario, mode: str, seed: int, call: Call | None = None
    ) -> None:
        from simulator.tui.screens.call import CallScreen  # noqa: PLC0415

        self.switch_screen(CallScreen(scenario, mode=mode, seed=seed, call=call))

    def show_debrief(self, call: Call, mode: str) -> None:
        from simulator.tui.screens.debrief import DebriefScreen  # noqa: PLC0415

        self.switch_screen(DebriefScreen(call, mode=mode))

    async def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.title = t(self.lang, "app_title")
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                await relabel()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            t(self.lang, "lang_toggle"),
            "切换语言 / Switch language zh ⇄ en",
            self.action_toggle_language,
        )
        commands = getattr(screen, "commands", None)
        if commands is not None:
            yield from commands()
