"""What every calldrill screen shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from simulator.tui.app import CalldrillApp


class CalldrillAccess:
    """Mixed into screens: the running app, typed as the CalldrillApp it is."""

    @property
    def calldrill(self) -> CalldrillApp:
        return cast("CalldrillApp", cast(Any, self).app)
