"""The calldrill Textual app: it holds the library and the language, screens do the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.i18n import t
from simulator.scenario.summary import Lang, LibraryIndex
from simulator.tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from simulator.engine import Call
    from simulator.scenario.model import Library, Scenario
    from simulator.store.recorder import RecordedCall
    from simulator.store.store import AttemptInfo, Store, TraineeInfo


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
        Binding("f3", "switch_profile", "Profile", id="app.profile", tooltip="Who is practising"),
        Binding("f4", "history", "History", id="app.history", tooltip="Earlier attempts"),
        Binding("f5", "progress", "Progress", id="app.progress", tooltip="Trends and weak skills"),
        Binding("f6", "drill", "Drill", id="app.drill", tooltip="Classroom group drill / 小组演练"),
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
        store_url: str | None = None,
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
        self.index = index if index is not None else LibraryIndex.of(library)  # type: ignore[arg-type]
        self.lang: Lang = lang
        self.fixed_seed = seed
        # Free-text mode (typed replies), toggled on the briefing; kept for retries.
        self.free_text = False
        # Characters per second for the customer's lines; 0 shows them at once (tests).
        self.reveal_cps = reveal_cps
        self.extra_dirs = extra_dirs
        # Progress is saved when a store URL is given; the store opens in a worker.
        self.store_url = store_url
        self.store: Store | None = None
        self.trainee: TraineeInfo | None = None
        self.best: dict[str, float] = {}

    def get_default_screen(self) -> LibraryScreen:
        return LibraryScreen()

    @property
    def library(self) -> Library:
        """The whole library; loaded on first use if the app started from the index."""
        if self._library is None:
            assert self._loader is not None
            self._library = self._loader()
        return self._library

    def on_mount(self) -> None:
        self._retitle()
        if self.store_url is not None:
            self.call_after_refresh(lambda: self.run_worker(self._open_store, thread=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Profile, history and progress exist only with a store: hidden without one.
        if action == "drill":
            # Like the keys above, shown with a store (a drill is for saving); the
            # command palette opens it either way.
            return self.store is not None
        if action in ("switch_profile", "history", "progress"):
            return self.store is not None and (
                action == "switch_profile" or self.trainee is not None
            )
        return True

    def _retitle(self) -> None:
        name = self.trainee.name if self.trainee else None
        self.title = t(self.lang, "app_title") + (f" · {name}" if name else "")

    # The store: profile, resume, best scores. Without a store the app still works.

    def _open_store(self) -> None:
        from simulator.store.errors import StoreError  # noqa: PLC0415
        from simulator.store.store import Store  # noqa: PLC0415

        try:
            store = Store(self.store_url)
        except StoreError as exc:
            self.call_from_thread(self.store_failed, str(exc))
            return
        self.call_from_thread(self._store_opened, store)

    def store_failed(self, why: str) -> None:
        self.notify(t(self.lang, "store_failed", why=why), severity="error", markup=False)

    def _store_opened(self, store: Store) -> None:
        from simulator.store.profile import remembered  # noqa: PLC0415

        self.store = store
        self.refresh_bindings()
        name = remembered()
        if name:
            self.use_profile(name)
        else:
            self.action_switch_profile()

    def action_switch_profile(self) -> None:
        if self.store is None:
            self.notify(t(self.lang, "store_none"), markup=False)
            return
        from simulator.tui.screens.profile import ProfileScreen  # noqa: PLC0415

        names = [p.name for p in self.store.trainees()]
        screen = ProfileScreen(names, self.trainee.name if self.trainee else None)

        def chosen(name: str | None) -> None:
            if name:
                self.use_profile(name, group=screen.group)

        self.push_screen(screen, chosen)

    def use_profile(self, name: str, *, group: str | None = None) -> None:
        from simulator.store.errors import StoreError  # noqa: PLC0415
        from simulator.store.profile import remember  # noqa: PLC0415

        assert self.store is not None
        try:
            self.trainee = self.store.trainee(name, group=group, lang=self.lang)
        except StoreError as exc:
            self.store_failed(str(exc))
            return
        remember(self.trainee.name)
        self.refresh_bindings()
        self._retitle()
        self.refresh_best()
        self.offer_resume()

    def refresh_best(self) -> None:
        from simulator.store.queries import best_scores  # noqa: PLC0415

        if self.store is None or self.trainee is None:
            return
        self.best = best_scores(self.store, self.trainee.id)
        for screen in self.screen_stack:
            refill = getattr(screen, "show_best", None)
            if refill is not None:
                refill()

    def offer_resume(self) -> None:
        if self.store is None or self.trainee is None:
            return
        # A drill round belongs to its drill (three people at one keyboard): not offered here.
        waiting = [
            a for a in self.store.open_attempts(self.trainee.id) if a.mode in ("practice", "exam")
        ]
        if not waiting:
            return
        attempt = waiting[0]
        summary = self.index.scenarios.get(attempt.scenario_id)
        if summary is None:
            self.store.abandon(attempt.id)
            return
        from simulator.tui.screens.confirm import ConfirmScreen  # noqa: PLC0415

        question = t(
            self.lang,
            "resume_tui",
            title=summary.title.get(self.lang),
            turn=len(attempt.turns) + 1,
            mode=t(self.lang, "mode_exam" if attempt.mode == "exam" else "mode_practice"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.resume(attempt)
            elif self.store is not None:
                self.store.abandon(attempt.id)

        self.push_screen(
            ConfirmScreen(question, t(self.lang, "resume_yes"), t(self.lang, "resume_no")),
            answered,
        )

    def resume(self, attempt: AttemptInfo) -> None:
        from simulator.engine import CallPlot  # noqa: PLC0415
        from simulator.store.recorder import RecordedCall, ResumeError  # noqa: PLC0415

        assert self.store is not None
        lib = self.library
        scenario = lib.scenarios[attempt.scenario_id]
        plot = CallPlot(scenario, lib.tags, lib.rubric)
        try:
            recorded = RecordedCall.resume(
                self.store, attempt, plot, library=lib.scenarios.values()
            )
        except ResumeError as exc:
            self.notify(t(self.lang, "resume_failed", why=str(exc)), markup=False)
            self.store.abandon(attempt.id)
            return
        self.start_call(scenario, attempt.mode, attempt.seed, recorded=recorded, push=True)

    def action_history(self) -> None:
        if self.store is None or self.trainee is None:
            self.notify(t(self.lang, "store_none"), markup=False)
            return
        from simulator.tui.screens.history import HistoryScreen  # noqa: PLC0415

        self.push_screen(HistoryScreen())

    def action_progress(self) -> None:
        if self.store is None or self.trainee is None:
            self.notify(t(self.lang, "store_none"), markup=False)
            return
        from simulator.tui.screens.progress import ProgressScreen  # noqa: PLC0415

        self.push_screen(ProgressScreen())

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
        self,
        scenario: Scenario,
        mode: str,
        seed: int,
        call: Call | None = None,
        *,
        recorded: RecordedCall | None = None,
        push: bool = False,
    ) -> None:
        from simulator.tui.screens.call import CallScreen  # noqa: PLC0415

        screen = CallScreen(scenario, mode=mode, seed=seed, call=call, recorded=recorded)
        if push:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def open_drill(self) -> None:
        """The classroom group drill, from its set-up (docs/drills.md)."""
        from simulator.tui.screens.drill_setup import DrillSetupScreen  # noqa: PLC0415

        if not isinstance(self.screen, DrillSetupScreen):
            self.push_screen(DrillSetupScreen())

    def action_drill(self) -> None:
        self.open_drill()

    def show_debrief(self, call: Call, mode: str) -> None:
        from simulator.tui.screens.debrief import DebriefScreen  # noqa: PLC0415

        self.switch_screen(DebriefScreen(call, mode=mode))

    async def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self._retitle()
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
        yield SystemCommand(t(self.lang, "drill"), "F6 · 小组演练 / group drill", self.open_drill)
        commands = getattr(screen, "commands", None)
        if commands is not None:
            yield from commands()
