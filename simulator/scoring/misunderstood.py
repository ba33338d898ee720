"""What a typed reply the customer did not understand costs (free-text mode).

Below the similarity threshold the customer asks what the agent means. That costs the
mood variable a muddled answer wears down first: ``patience`` when the persona has it,
otherwise the first variable whose ``good`` is ``high`` (it falls), otherwise the first
variable (it rises, since its good end is low). ``MISS_PENALTY`` points each time; the
engine clamps to the variable's range. Pure: the engine applies it (``Call.misunderstood``).
"""

from __future__ import annotations

from simulator.scenario.model import Persona

MISS_PENALTY = 5  # mood points one misunderstood reply costs


def miss_variable(persona: Persona) -> str | None:
    """The mood variable a misunderstood reply moves (None: the persona has no mood)."""
    mood = persona.mood
    if "patience" in mood:
        return "patience"
    high = [v for v in mood.values() if v.good == "high"]
    if high:
        return high[0].id
    return next(iter(mood), None)


def miss_effects(persona: Persona, penalty: int = MISS_PENALTY) -> dict[str, int]:
    """The mood change of one misunderstood reply: ``{variable: delta}``, worse by ``penalty``."""
    var = miss_variable(persona)
    if var is None:
        return {}
    return {var: -penalty if persona.mood[var].good == "high" else penalty}
