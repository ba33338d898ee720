"""What the drill's screens share: the banner, the countdown, leaving the drill.

Not a screen: small builders, so each drill screen file holds just its screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.drill.session import DrillRun
from simulator.tui.widgets.phase_countdown import PhaseCountdown
from simulator.tui.widgets.round_banner import RoundBanner

if TYPE_CHECKING:
    from simulator.store.recorder import RecordedCall
    from simulator.tui.app import CalldrillApp


def banner(app: CalldrillApp, run: DrillRun) -> RoundBanner:
    labels = {
        role: app.tr(f"drill_role_{role}") for role in ("agent", "customer", "observer", "watching")
    }
    text = app.tr("drill_round", n=run.seats.number, of=run.rounds)
    return RoundBanner(run.seats, run.rounds, labels, text, id="drill-banner")


def countdown_for(app: CalldrillApp, run: DrillRun, **kwargs: object) -> PhaseCountdown:
    phase = run.clock.phase or "prepare"
    return PhaseCountdown(
        run.clock,
        app.tr(f"drill_phase_{phase}"),
        app.tr("drill_left"),
        app.tr("drill_over"),
        frozen=app.still,
        **kwargs,
    )


def leave_drill(app: CalldrillApp, run: DrillRun, recorded: RecordedCall | None = None) -> None:
    """Ask, then leave the drill: rounds already handed in stay saved; a call under
    way is kept as abandoned, not offered for resuming."""
    from simulator.tui.screens.confirm import ConfirmScreen  # noqa: PLC0415

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        if recorded is not None and not recorded.call.finished:
            from simulator.store.errors import StoreError  # noqa: PLC0415

            try:
                recorded.abandon()
            except StoreError as exc:
                app.store_failed(str(exc))
        app.pop_screen()

    app.push_screen(ConfirmScreen(app.tr("leave_confirm"), app.tr("yes"), app.tr("no")), answered)
