"""The app as `calldrill drill` starts it: straight on the drill set-up."""

from __future__ import annotations

from simulator.tui.app import CalldrillApp


class DrillApp(CalldrillApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.open_drill)
